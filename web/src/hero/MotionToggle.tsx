interface Props {
  paused: boolean;
  onChange: (paused: boolean) => void;
}

/** WCAG 2.2.2: moving content that lasts more than 5 s needs a visible way to pause it. */
export function MotionToggle({ paused, onChange }: Props) {
  return (
    <button type="button" className="motion-toggle" onClick={() => onChange(!paused)}>
      <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16" focusable="false">
        {paused ? (
          <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
        ) : (
          <path d="M4 2.5h3v11H4zM9 2.5h3v11H9z" fill="currentColor" />
        )}
      </svg>
      <span>{paused ? 'Play animation' : 'Pause animation'}</span>
    </button>
  );
}

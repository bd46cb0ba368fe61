import type { PreviewScope } from './previewLink';

interface Props {
  /** null when the link was not a preview token at all. */
  scope: PreviewScope | null;
  /** Why what is shown may be out of date (an expired or refused token), or null. */
  problem: string | null;
}

/** Always visible in preview mode, so nobody mistakes a draft for the live site. */
export function PreviewBanner({ scope, problem }: Props) {
  const what =
    scope === null
      ? 'nothing to show'
      : scope.kind === 'draft'
        ? 'draft, not published'
        : `version ${scope.version}`;
  return (
    <section
      className="preview-banner"
      aria-label="Preview"
      data-preview={scope?.kind ?? 'invalid'}
    >
      <p className="preview-banner__title">
        <strong>Preview</strong> · {what}
      </p>
      {problem && (
        <p className="preview-banner__problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

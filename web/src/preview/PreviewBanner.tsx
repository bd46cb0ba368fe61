import type { PreviewScope } from './previewLink';

interface Props {
  /** What is shown of the settings; null: the live settings (or, if `valid` is false, nothing). */
  scope: PreviewScope | null;
  /** What is shown of the home page; null: not previewed. */
  homePage?: PreviewScope | null;
  /** false when the link was not a preview token at all. */
  valid?: boolean;
  /** Why what is shown may be out of date (an expired or refused token), or null. */
  problem: string | null;
}

const describe = (scope: PreviewScope) =>
  scope.kind === 'draft' ? 'draft, not published' : `version ${scope.version}`;

/** Always visible in preview mode, so nobody mistakes a draft for the live site. */
export function PreviewBanner({ scope, homePage = null, valid = true, problem }: Props) {
  const parts: string[] = [];
  if (scope) parts.push(describe(scope));
  if (homePage) parts.push(`home page ${describe(homePage)}`);
  const what = !valid || parts.length === 0 ? 'nothing to show' : parts.join(' · ');
  const kind = scope?.kind ?? homePage?.kind;
  return (
    <section
      className="preview-banner"
      aria-label="Preview"
      data-preview={valid && kind ? kind : 'invalid'}
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

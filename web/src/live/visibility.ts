/**
 * Calls `onChange(visible)` when the tab is hidden or shown again. `pagehide` counts as hidden
 * too, so the stream is closed before the page unloads (Firefox logs an "interrupted" error for a
 * stream still open then) and a page restored from the back/forward cache reconnects on
 * `pageshow`. Returns a function that stops watching.
 */
export function watchVisibility(doc: Document, onChange: (visible: boolean) => void): () => void {
  const view = doc.defaultView;
  const onVisibility = () => onChange(doc.visibilityState !== 'hidden');
  const onPageHide = () => onChange(false);
  doc.addEventListener('visibilitychange', onVisibility);
  view?.addEventListener('pagehide', onPageHide);
  view?.addEventListener('pageshow', onVisibility);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibility);
    view?.removeEventListener('pagehide', onPageHide);
    view?.removeEventListener('pageshow', onVisibility);
  };
}

export const isVisible = (doc: Document) => doc.visibilityState !== 'hidden';

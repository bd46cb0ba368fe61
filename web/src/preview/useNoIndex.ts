import { useEffect } from 'react';

/** `<meta name="robots" content="noindex">` while mounted: a preview must never be indexed. */
export function useNoIndex() {
  useEffect(() => {
    const meta = document.createElement('meta');
    meta.name = 'robots';
    meta.content = 'noindex';
    document.head.appendChild(meta);
    return () => meta.remove();
  }, []);
}

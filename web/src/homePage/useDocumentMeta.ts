import { useEffect, useRef } from 'react';
import type { PlatformSettings } from '../settings/types';
import type { HomeSeo } from './types';

/**
 * The tab's title and the meta description: the home page's SEO when it has them, else the
 * settings' site name and tagline, and index.html's description.
 */
export function useDocumentMeta(settings: PlatformSettings | null, seo: HomeSeo | null): void {
  useEffect(() => {
    if (seo) document.title = seo.title;
    else if (settings) document.title = `${settings.siteName} · ${settings.tagline}`;
  }, [settings, seo]);

  const description = seo?.description ?? null;
  const original = useRef<string | null>(null);
  useEffect(() => {
    let meta = document.head.querySelector<HTMLMetaElement>('meta[name="description"]');
    if (!meta && description === null) return;
    if (!meta) {
      meta = document.createElement('meta');
      meta.name = 'description';
      document.head.appendChild(meta);
    }
    original.current ??= meta.content;
    meta.content = description ?? original.current;
  }, [description]);
}

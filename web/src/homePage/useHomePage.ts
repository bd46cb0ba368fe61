import { useState, useEffect } from 'react';
import type { EtagRef } from '../live/conditionalGet';
import type { LiveDocument } from '../live/liveSettings';
import { contentOf, createVersionGate } from '../live/versionGate';
import { HOME_PAGE_EVENT, HOME_PAGE_PATH, type LoadedHomePage } from './loadHomePage';
import { parseHomePageLiveBody } from './parseHomePage';
import type { HomePage, HomePageState } from './types';

export interface HomePageFeed {
  state: HomePageState;
  /** The home page for live updates (useLiveSettings' `documents`): stable for the page's life. */
  live: LiveDocument;
}

/**
 * Follows the home page: the first load (started in main.tsx, in parallel with the settings),
 * then whatever live updates bring, judged by version like the settings (versionGate.ts). A live
 * body shown before the first load is in wins: the load, started earlier, cannot be newer.
 * `request: null` (a preview) shows no sections.
 */
export function useHomePage(request: Promise<LoadedHomePage> | null): HomePageFeed {
  const [state, setState] = useState<HomePageState>(
    request ? { status: 'loading' } : { status: 'ready', homePage: null }
  );
  const [follower] = useState(() =>
    followHomePage((homePage) => setState({ status: 'ready', homePage }))
  );

  useEffect(() => {
    let active = true;
    void request?.then((loaded) => {
      if (active) follower.loaded(loaded);
    });
    return () => {
      active = false;
    };
  }, [request, follower]);

  return { state, live: follower.live };
}

function followHomePage(show: (homePage: HomePage | null) => void) {
  const etag: EtagRef = { current: null };
  const gate = createVersionGate({ version: null, content: null });
  let liveShown = false;
  const live: LiveDocument = {
    name: HOME_PAGE_EVENT,
    path: HOME_PAGE_PATH,
    etag,
    onBody(body, authoritative) {
      const parsed = parseHomePageLiveBody(body);
      if (!parsed) return;
      const verdict = gate.judge(parsed.version, contentOf(parsed.homePage), authoritative);
      // The next poll asks in full, so it can tell "still lower" apart.
      if (verdict === 'older-copy') etag.current = null;
      if (verdict !== 'apply') return;
      liveShown = true;
      show(parsed.homePage);
    },
  };
  const loaded = (first: LoadedHomePage) => {
    if (liveShown) return;
    etag.current = first.etag;
    gate.show({
      version: first.version,
      content: first.homePage ? contentOf(first.homePage) : null,
    });
    show(first.homePage);
  };
  return { live, loaded };
}

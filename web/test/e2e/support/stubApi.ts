import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformSettings, PlatformSettingsResponse } from '../../../src/settings/types';

/** What the stub CMS serves: realistic, and different from the built-in defaults. */
export const STUB_SETTINGS: PlatformSettings = {
  siteName: 'Acme Platform',
  tagline: 'Versioned settings for teams',
  heroTitle: 'Change anything. Roll back everything.',
  heroSubtitle: 'Publish site-wide settings with full history, clear diffs and one-click restore.',
  ctaLabel: 'Start building',
  ctaUrl: '/signup',
  primaryColor: '#7C3AED',
  accentColor: '#2DD4BF',
  backgroundColor: '#0A0F1E',
  hero3dEnabled: true,
  hero3dDensity: 1500,
  hero3dSpeed: 1,
  maintenanceMode: false,
};

export const STUB_VERSION = 3;
const SETTINGS_PATH = '/api/platform-settings';
const EVENTS_PATH = `${SETTINGS_PATH}/events`;
const HOME_PAGE_PATH = '/api/home-page';

/** The sections below the hero, as the CMS's fast path answers `GET /api/home-page`. */
export const STUB_HOME_PAGE = {
  seo: {
    title: 'Acme Platform: versioned settings for teams',
    description: 'Publish site-wide settings with full history and one-click restore.',
    shareImage: null,
  },
  features: [
    {
      title: 'Every change is a version',
      text: 'Numbered, signed, in one transaction.',
      icon: 'history',
    },
    {
      title: 'Roll back in one click',
      text: 'Restore any version as the next one.',
      icon: 'rollback',
    },
    { title: 'Live everywhere', text: 'Open pages update without a reload.', icon: 'bolt' },
  ],
  closingCta: { heading: 'Ready for launch day?', label: 'Book a demo', url: '/demo' },
};
export type StubHomePage = typeof STUB_HOME_PAGE;
export const STUB_HOME_PAGE_VERSION = 2;

export interface StreamCounts {
  /** Streams open right now (what the server's cap counts). */
  open: number;
  /** Streams accepted since start (or the last reset). */
  opened: number;
  /** Stream requests answered 503 while refusing. */
  refused: number;
}

export interface StubApi {
  url: string;
  /** GETs of /api/platform-settings that reached the stub (HTTP-cache hits never do). */
  hits(): number;
  /** Those GETs answered 304 (If-None-Match matched). */
  notModified(): number;
  /** Commits a new version (the current settings plus `changes`) and pushes it to every stream. */
  publish(changes: Partial<PlatformSettings>): number;
  /** While true, stream requests get 503 + Retry-After, as the CMS does at its cap. */
  refuseStreams(refuse: boolean): void;
  streams(): StreamCounts;
  /** Commits a new home-page version and pushes it to every stream that asked for it. */
  publishHomePage(changes: Partial<StubHomePage>): number;
  /**
   * While set, GET /api/home-page answers this status (with CORS), as a failing CMS would, and
   * streams opened meanwhile carry no home page.
   */
  failHomePage(status: number | null): void;
  /** Back to STUB_SETTINGS at STUB_VERSION, streams closed and counters zeroed (between tests). */
  reset(): void;
  close(): Promise<void>;
}

interface Representation {
  version: number;
  json: string;
  etag: string;
}

const withEtag = (version: number, body: unknown): Representation => {
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  return { version, json, etag };
};

function represent(settings: PlatformSettings, version: number): Representation {
  const body: PlatformSettingsResponse = {
    data: {
      version,
      updatedAt: new Date(Date.UTC(2025, 0, 1, 12, version)).toISOString(),
      ...settings,
    },
    meta: {},
  };
  return withEtag(version, body);
}

const representHomePage = (homePage: StubHomePage, version: number): Representation =>
  withEtag(version, {
    data: { id: 1, documentId: 'stub0home0page0000000000', version, ...homePage },
    meta: {},
  });

/** One server-sent event, as the CMS frames it: the version as id, the GET's body as data. */
const sseEvent = ({ version, json }: Representation) =>
  `id: ${version}\nevent: settings\ndata: ${json}\n\n`;
/** A home-page event (the id line is the settings' own, so it is left out here). */
const homePageEvent = ({ json }: Representation) => `event: home-page\ndata: ${json}\n\n`;

/**
 * A stand-in for the CMS's public `GET /api/platform-settings` (same cache headers, a strong ETag
 * and 304s, CORS as configured in config/middlewares.ts) and its `GET …/events` stream: the live
 * settings on connect, every published version after, `: ping` heartbeats, and 503 with
 * Retry-After while told to refuse streams. Also `GET /api/home-page` as the CMS's fast path
 * answers it, and its `home-page` events on streams that ask for them (`?types=…,home-page`).
 */
export async function startStubApi({
  settings = STUB_SETTINGS,
  port = 0,
}: { settings?: PlatformSettings; port?: number } = {}): Promise<StubApi> {
  let current = { ...settings };
  let live = represent(current, STUB_VERSION);
  let homePage = { ...STUB_HOME_PAGE };
  let liveHomePage = representHomePage(homePage, STUB_HOME_PAGE_VERSION);
  let homePageFailure: number | null = null;
  /** Streams that asked for home-page events (`?types=settings,home-page`). */
  const homePageStreams = new Set<http.ServerResponse>();
  let hits = 0;
  let notModified = 0;
  let refusing = false;
  const counts = { opened: 0, refused: 0 };
  const streams = new Set<http.ServerResponse>();

  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'ETag, X-Settings-Version, Retry-After',
    Vary: 'Origin',
  };

  const serveStream = (res: http.ServerResponse, types: string[]) => {
    if (refusing) {
      counts.refused += 1;
      res
        .writeHead(503, { ...cors, 'Retry-After': '30', 'Content-Type': 'application/json' })
        .end('{"error":"too many open streams"}');
      return;
    }
    counts.opened += 1;
    res.writeHead(200, {
      ...cors,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      'X-Settings-Version': String(live.version),
    });
    res.write(sseEvent(live));
    streams.add(res);
    // A home page that cannot be read is not sent on the stream either.
    if (types.includes('home-page') && homePageFailure === null) {
      res.write(homePageEvent(liveHomePage));
      homePageStreams.add(res);
    }
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    res.on('close', () => {
      clearInterval(ping);
      streams.delete(res);
      homePageStreams.delete(res);
    });
  };

  // As the CMS's fast path: `s-maxage=30` for CDNs, a strong ETag and 304s.
  const serveHomePage = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (homePageFailure !== null) {
      res
        .writeHead(homePageFailure, { ...cors, 'Content-Type': 'application/json' })
        .end(JSON.stringify({ data: null, error: { status: homePageFailure, name: 'Error' } }));
      return;
    }
    const headers = {
      ...cors,
      'Cache-Control': 'public, s-maxage=30',
      ETag: liveHomePage.etag,
    };
    if (req.headers['if-none-match'] === liveHomePage.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res
      .writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' })
      .end(liveHomePage.json);
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': 'GET',
          'Access-Control-Allow-Headers': 'If-None-Match',
        })
        .end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://stub');
    const path = url.pathname;
    if (req.method === 'GET' && path === EVENTS_PATH) {
      serveStream(res, (url.searchParams.get('types') ?? 'settings').split(','));
      return;
    }
    if (req.method === 'GET' && path === HOME_PAGE_PATH) {
      serveHomePage(req, res);
      return;
    }
    if (req.method !== 'GET' || path !== SETTINGS_PATH) {
      res
        .writeHead(404, { ...cors, 'Content-Type': 'application/json' })
        .end('{"error":"not found"}');
      return;
    }
    hits += 1;
    const headers = {
      ...cors,
      'Cache-Control': 'public, max-age=60, s-maxage=60, stale-while-revalidate=30',
      ETag: live.etag,
      'X-Settings-Version': String(live.version),
    };
    if (req.headers['if-none-match'] === live.etag) {
      notModified += 1;
      res.writeHead(304, headers).end();
      return;
    }
    res
      .writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' })
      .end(live.json);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    hits: () => hits,
    notModified: () => notModified,
    publish(changes) {
      current = { ...current, ...changes };
      live = represent(current, live.version + 1);
      for (const stream of streams) stream.write(sseEvent(live));
      return live.version;
    },
    refuseStreams(refuse) {
      refusing = refuse;
    },
    publishHomePage(changes) {
      homePage = { ...homePage, ...changes };
      liveHomePage = representHomePage(homePage, liveHomePage.version + 1);
      for (const stream of homePageStreams) stream.write(homePageEvent(liveHomePage));
      return liveHomePage.version;
    },
    failHomePage(status) {
      homePageFailure = status;
    },
    streams: () => ({ open: streams.size, ...counts }),
    reset() {
      for (const stream of streams) stream.destroy();
      current = { ...settings };
      live = represent(current, STUB_VERSION);
      homePage = { ...STUB_HOME_PAGE };
      liveHomePage = representHomePage(homePage, STUB_HOME_PAGE_VERSION);
      homePageFailure = null;
      hits = 0;
      notModified = 0;
      refusing = false;
      counts.opened = 0;
      counts.refused = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

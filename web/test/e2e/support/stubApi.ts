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

export interface StubApi {
  url: string;
  /** GETs of /api/platform-settings that reached the stub (HTTP-cache hits never do). */
  hits(): number;
  close(): Promise<void>;
}

/**
 * A stand-in for the CMS's public `GET /api/platform-settings`, with the same cache headers,
 * a strong ETag and permissive CORS (the site is served from another local port).
 */
export async function startStubApi({
  settings = STUB_SETTINGS,
  port = 0,
}: { settings?: PlatformSettings; port?: number } = {}): Promise<StubApi> {
  const body: PlatformSettingsResponse = {
    data: { version: 3, updatedAt: '2025-01-01T12:00:00.000Z', ...settings },
    meta: {},
  };
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  let hits = 0;

  const server = http.createServer((req, res) => {
    const cors = { 'Access-Control-Allow-Origin': '*', Vary: 'Origin' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET' }).end();
      return;
    }
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/api/platform-settings') {
      res
        .writeHead(404, { ...cors, 'Content-Type': 'application/json' })
        .end('{"error":"not found"}');
      return;
    }
    hits += 1;
    const headers = {
      ...cors,
      'Cache-Control': 'public, max-age=60, s-maxage=60, stale-while-revalidate=30',
      ETag: etag,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(json);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

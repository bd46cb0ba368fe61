/**
 * The founder key guards every write and history route of the REST API.
 * The key is compared in constant time, never logged, and wrong or missing
 * keys are rate limited per client IP so it cannot be guessed: once an IP is
 * over the limit, even a correct key from it is refused until the window ends,
 * otherwise the limit would still confirm a lucky guess.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { secretProblem } from '../chain/keys';

export type AuthOutcome =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'wrong' }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

interface Window {
  startedAt: number;
  failures: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The reason the configured key is unusable (unset, short or obviously weak), or null. */
export const founderKeyProblem = (key: string | undefined): string | null =>
  secretProblem('FOUNDER_KEY', key);

export const createFounderKeyService = ({ strapi }: { strapi: Core.Strapi }) => {
  const configuredKey = process.env.FOUNDER_KEY ?? '';
  const expectedDigest = configuredKey ? digest(configuredKey) : null;
  const windows = new Map<string, Window>();

  const limits = () => ({
    maxFailures: Number(strapi.config.get('plugin::platform-settings.authFailuresPerWindow', 10)),
    windowMs: Number(strapi.config.get('plugin::platform-settings.authWindowMs', 60_000)),
  });

  const windowFor = (ip: string, now: number, windowMs: number): Window => {
    const existing = windows.get(ip);
    if (existing && now - existing.startedAt < windowMs) return existing;
    // Drop expired windows as we go so the map cannot grow without bound.
    if (windows.size > 10_000) {
      for (const [key, value] of windows)
        if (now - value.startedAt >= windowMs) windows.delete(key);
    }
    const fresh = { startedAt: now, failures: 0 };
    windows.set(ip, fresh);
    return fresh;
  };

  return {
    isConfigured: () => expectedDigest !== null,

    authenticate(ip: string, provided: string | undefined): AuthOutcome {
      const now = Date.now();
      const { maxFailures, windowMs } = limits();
      const window = windowFor(ip, now, windowMs);
      if (window.failures >= maxFailures) {
        return {
          ok: false,
          reason: 'rate-limited',
          retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000)),
        };
      }
      if (!provided) {
        window.failures += 1;
        return { ok: false, reason: 'missing' };
      }
      // Comparing fixed-length digests keeps the time independent of the key's length and content.
      if (!expectedDigest || !timingSafeEqual(digest(provided), expectedDigest)) {
        window.failures += 1;
        return { ok: false, reason: 'wrong' };
      }
      return { ok: true };
    },

    /** Test and operations hook: forget every counted failure. */
    resetRateLimits() {
      windows.clear();
    },
  };
};

export type FounderKeyService = ReturnType<typeof createFounderKeyService>;

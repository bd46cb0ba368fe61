/**
 * The founder key guards every write and history route of the REST API. It is
 * compared in constant time and never logged. Wrong or missing keys are
 * limited per client address (behind trusted proxies: the real client, see
 * TRUST_PROXY), 10 a minute across every instance: the counters live in the
 * database. Once a client is over the limit even a correct key from it is
 * refused until its window ends, or the limit would confirm a lucky guess.
 * Other clients, and the admin UI (JWT), are never affected.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { secretProblem } from '../chain/keys';

export type AuthOutcome =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'wrong' }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

const TABLE = 'platform_settings_auth_failures';
/** Clients this instance knows to be over the limit, so their next tries cost no query. */
const MAX_REMEMBERED_BLOCKS = 10_000;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The reason the configured key is unusable (unset, short or obviously weak), or null. */
export const founderKeyProblem = (key: string | undefined): string | null =>
  secretProblem('FOUNDER_KEY', key);

export const createFounderKeyService = ({ strapi }: { strapi: Core.Strapi }) => {
  const configuredKey = process.env.FOUNDER_KEY ?? '';
  const expectedDigest = configuredKey ? digest(configuredKey) : null;
  // Client → when its block ends. Insertion order is age: the oldest entry goes first.
  const blockedUntil = new Map<string, number>();

  const db = () => strapi.db.connection as unknown as Knex;
  const limits = () => ({
    maxFailures: Number(strapi.config.get('plugin::platform-settings.authFailuresPerWindow', 10)),
    windowMs: Number(strapi.config.get('plugin::platform-settings.authWindowMs', 60_000)),
  });

  const rememberBlock = (client: string, until: number) => {
    blockedUntil.delete(client);
    blockedUntil.set(client, until);
    if (blockedUntil.size > MAX_REMEMBERED_BLOCKS) {
      blockedUntil.delete(blockedUntil.keys().next().value as string);
    }
  };

  const rateLimited = (until: number, now: number): AuthOutcome => ({
    ok: false,
    reason: 'rate-limited',
    retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
  });

  /** The client's current window, as every instance sees it. */
  const windowOf = async (client: string, now: number, windowMs: number) => {
    const row = await db()(TABLE).where({ client_key: client }).first('window_start', 'failures');
    if (!row || now - Number(row.window_start) >= windowMs) return null;
    return { start: Number(row.window_start), failures: Number(row.failures) };
  };

  /** Counts one failure in the client's window (a new window once the last one ended). */
  const recordFailure = async (client: string, now: number, windowMs: number) => {
    const expired = now - windowMs;
    const knex = db();
    await knex(TABLE)
      .insert({
        document_id: randomUUID(),
        client_key: client,
        window_start: now,
        failures: 1,
        created_at: new Date(now),
        updated_at: new Date(now),
      })
      .onConflict('client_key')
      .merge({
        // The existing row's columns, qualified (PostgreSQL finds a bare name ambiguous), and
        // `failures` first: MySQL applies these in order, and must see the old window_start.
        failures: knex.raw('CASE WHEN ??.window_start <= ? THEN 1 ELSE ??.failures + 1 END', [
          TABLE,
          expired,
          TABLE,
        ]),
        window_start: knex.raw('CASE WHEN ??.window_start <= ? THEN ? ELSE ??.window_start END', [
          TABLE,
          expired,
          now,
          TABLE,
        ]),
        updated_at: new Date(now),
      });
    // Windows long over are of no use to anyone.
    if (Math.random() < 0.05)
      await knex(TABLE)
        .where('window_start', '<', now - 10 * windowMs)
        .del();
    return windowOf(client, now, windowMs);
  };

  return {
    isConfigured: () => expectedDigest !== null,

    async authenticate(client: string, provided: string | undefined): Promise<AuthOutcome> {
      const now = Date.now();
      const { maxFailures, windowMs } = limits();
      const known = blockedUntil.get(client);
      if (known !== undefined) {
        if (known > now) return rateLimited(known, now);
        blockedUntil.delete(client);
      }
      const window = await windowOf(client, now, windowMs);
      if (window && window.failures >= maxFailures) {
        rememberBlock(client, window.start + windowMs);
        return rateLimited(window.start + windowMs, now);
      }
      // Comparing fixed-length digests keeps the time independent of the key's length and content.
      const matches =
        provided !== undefined &&
        expectedDigest !== null &&
        timingSafeEqual(digest(provided), expectedDigest);
      if (matches) return { ok: true };
      const counted = await recordFailure(client, now, windowMs);
      if (counted && counted.failures >= maxFailures) {
        rememberBlock(client, counted.start + windowMs);
      }
      return { ok: false, reason: provided === undefined ? 'missing' : 'wrong' };
    },

    /** Test and operations hook: forget every counted failure, on every instance's table. */
    async resetRateLimits() {
      blockedUntil.clear();
      await db()(TABLE).del();
    },
  };
};

export type FounderKeyService = ReturnType<typeof createFounderKeyService>;

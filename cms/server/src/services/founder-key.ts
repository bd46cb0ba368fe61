/**
 * The founder key guards every write and history route of the REST API.
 *
 * A correct key is always accepted, whoever else shares the caller's address:
 * with a key of 32 random bytes no guess can succeed, so refusing a correct key
 * would only let anyone behind the same NAT or CDN edge lock the founder out.
 *
 * Wrong or missing keys are limited per client (behind trusted proxies: the
 * real client, see TRUST_PROXY; an IPv6 client is its /64), 10 a window across
 * every instance. Each failure within the budget costs one atomic statement
 * that increments the client's one counter row and returns the new count; only
 * a failure whose count is within the budget is judged (401/403). Beyond it the
 * answer is 429 from memory, counted in the metrics only: nothing a guesser
 * sends can make the database write more than a budget's worth a window.
 *
 * FOUNDER_KEY_PREVIOUS is accepted too while a rotation is under way. Keys are
 * compared in constant time and never logged.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { secretProblem } from '../chain/keys';

export type AuthOutcome =
  | { ok: true; key: 'current' | 'previous' }
  | { ok: false; reason: 'missing' | 'wrong' }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

const TABLE = 'platform_settings_auth_failures';
/** Clients this instance knows to be over the limit, so their next tries cost no query. */
const MAX_REMEMBERED_BLOCKS = 10_000;
/** Rows of windows long over that one cleanup deletes at most. */
const CLEANUP_BATCH = 500;
const ER_LOCK_DEADLOCK = 1213;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The reason the configured key is unusable (unset, short or obviously weak), or null. */
export const founderKeyProblem = (key: string | undefined): string | null =>
  secretProblem('FOUNDER_KEY', key);

/**
 * Whom the failure budget belongs to: the address, except that an IPv4-mapped
 * IPv6 address is its IPv4 and an IPv6 address its /64 (one host holds a whole
 * /64, so counting single addresses would give it 2^64 budgets and rows).
 */
export const clientOf = (ip: string): string => {
  const address = (ip || 'unknown').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address.slice(0, 128);
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
};

export const createFounderKeyService = ({ strapi }: { strapi: Core.Strapi }) => {
  const expected = [
    { key: 'current' as const, value: process.env.FOUNDER_KEY ?? '' },
    { key: 'previous' as const, value: process.env.FOUNDER_KEY_PREVIOUS ?? '' },
  ]
    .filter(({ value }) => value !== '')
    .map(({ key, value }) => ({ key, digest: digest(value) }));
  // Client → when its block ends. Insertion order is age: the oldest entry goes first.
  const blockedUntil = new Map<string, number>();
  // Client → its last queued failure: one client's failures are counted one at a time on
  // this instance, so once it is over the limit the rest of a burst is answered from memory.
  const queues = new Map<string, Promise<unknown>>();
  let lastCleanup = 0;

  const db = () => strapi.db.connection as unknown as Knex;
  const limits = () => ({
    maxFailures: Number(strapi.config.get('plugin::platform-settings.authFailuresPerWindow', 10)),
    windowMs: Number(strapi.config.get('plugin::platform-settings.authWindowMs', 60_000)),
  });

  /** Which configured key `provided` is, comparing against every one of them in constant time. */
  const match = (provided: string | undefined): 'current' | 'previous' | null => {
    if (provided === undefined) return null;
    // Fixed-length digests keep the time independent of the key's length and content, and
    // every configured key is compared, so the time does not say which one matched either.
    const given = digest(provided);
    let found: 'current' | 'previous' | null = null;
    for (const candidate of expected) {
      const equal = timingSafeEqual(given, candidate.digest);
      if (equal && found === null) found = candidate.key;
    }
    return found;
  };

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

  const serialized = <T>(client: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(client) ?? Promise.resolve()).then(task);
    const settled = run.then(
      () => undefined,
      () => undefined
    );
    queues.set(client, settled);
    void settled.then(() => {
      if (queues.get(client) === settled) queues.delete(client);
    });
    return run;
  };

  /**
   * Counts one failure in the client's window (a new window once the last one ended) and
   * returns the window as it stands after this failure, in one atomic step: concurrent
   * failures, on any instance, each get their own count.
   */
  const countFailure = async (client: string, now = Date.now()) => {
    const { windowMs } = limits();
    const expired = now - windowMs;
    const knex = db();
    const upsert = (connection: Knex | Knex.Transaction) =>
      connection(TABLE)
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
    let row: { window_start: unknown; failures: unknown } | undefined;
    if (strapi.db.dialect.client === 'mysql') {
      // No RETURNING on an upsert: the upsert locks the row until the commit, so the read
      // in the same transaction sees this failure's count and no other.
      // Two instances inserting a client's first row at once can deadlock on the index gap;
      // InnoDB rolls one back, which simply tries again.
      for (let attempt = 1; ; attempt += 1) {
        try {
          row = await knex.transaction(async (trx) => {
            await upsert(trx);
            return (await trx(TABLE)
              .where({ client_key: client })
              .first('window_start', 'failures')) as typeof row;
          });
          break;
        } catch (error) {
          if ((error as { errno?: number }).errno !== ER_LOCK_DEADLOCK || attempt >= 3) throw error;
        }
      }
    } else {
      [row] = await upsert(knex).returning(['window_start', 'failures']);
    }
    if (now - lastCleanup >= windowMs) {
      lastCleanup = now;
      await cleanup(now - 10 * windowMs);
    }
    return { start: Number(row!.window_start), failures: Number(row!.failures) };
  };

  /** Deletes windows long over, a bounded batch at a time (at most once a window per instance). */
  const cleanup = async (before: number) => {
    const knex = db();
    const stale = await knex(TABLE)
      .where('window_start', '<', before)
      .limit(CLEANUP_BATCH)
      .pluck('id');
    if (stale.length > 0) await knex(TABLE).whereIn('id', stale).del();
  };

  return {
    isConfigured: () => expected.some(({ key }) => key === 'current'),

    async authenticate(ip: string, provided: string | undefined): Promise<AuthOutcome> {
      const matched = match(provided);
      if (matched) return { ok: true, key: matched };
      const client = clientOf(ip);
      return serialized(client, async () => {
        const now = Date.now();
        const { maxFailures, windowMs } = limits();
        const known = blockedUntil.get(client);
        if (known !== undefined) {
          if (known > now) return rateLimited(known, now);
          blockedUntil.delete(client);
        }
        const window = await countFailure(client, now);
        const until = window.start + windowMs;
        if (window.failures >= maxFailures) rememberBlock(client, until);
        if (window.failures > maxFailures) return rateLimited(until, now);
        return { ok: false, reason: provided === undefined ? 'missing' : 'wrong' };
      });
    },

    countFailure,

    /** Test and operations hook: forget every counted failure, on every instance's table. */
    async resetRateLimits() {
      blockedUntil.clear();
      await db()(TABLE).del();
    },
  };
};

export type FounderKeyService = ReturnType<typeof createFounderKeyService>;

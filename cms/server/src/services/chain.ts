/**
 * The history chain inside the running server: which key signs it, the head
 * every writer locks, catching up with rows an earlier release or an old key
 * wrote (rolling upgrade, key rotation), and verify.
 *
 * The signing and checking themselves live in `../chain` (shared with the
 * operations scripts and the offline verifier).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import {
  chainItems,
  createChainVerifier,
  dialectOf,
  generateDevelopmentKey,
  GENESIS_MAC,
  HEAD_TABLE,
  HEAD_DOCUMENT_ID,
  HISTORY_TABLE,
  CHECKPOINT_TABLE,
  keyRingOf,
  linkBefore,
  rowFromDb,
  rowMac,
  lockChain,
  readHead,
  resignFrom,
  secretProblem,
  writeHead,
  type ChainHead,
  type KeyRing,
  type VerifyReport,
} from '../chain';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';

/** The reason the configured signing key cannot be used in production, or null. */
export const signingKeyProblem = (env: NodeJS.ProcessEnv = process.env): string | null =>
  secretProblem('HISTORY_SIGNING_KEY', env.HISTORY_SIGNING_KEY);

export const createChainService = ({ strapi }: { strapi: Core.Strapi }) => {
  let ring: KeyRing | null = null;

  const connection = () => strapi.db.connection as unknown as Knex;
  const legacyGraceMs = () =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.legacyGraceMs`, 60 * 60 * 1000));

  const keys = (): KeyRing => {
    if (!ring) throw new Error('platform-settings: the history chain is not prepared yet');
    return ring;
  };

  /** Environment first; outside production, a key generated once and kept in the database. */
  const resolveKeys = async (trx: Knex): Promise<{ ring: KeyRing; devKey: string | null }> => {
    const configured = process.env.HISTORY_SIGNING_KEY;
    if (configured) {
      return {
        ring: keyRingOf(configured, process.env.HISTORY_SIGNING_KEY_PREVIOUS),
        devKey: null,
      };
    }
    const stored = await trx(HEAD_TABLE).where({ document_id: HEAD_DOCUMENT_ID }).first('dev_key');
    const devKey = (stored?.dev_key as string | null | undefined) || generateDevelopmentKey();
    strapi.log.warn(
      'platform-settings: HISTORY_SIGNING_KEY is not set; the history is signed with a development key kept in the database, which proves nothing against someone who can read the database. Set HISTORY_SIGNING_KEY (required in production).'
    );
    return { ring: keyRingOf(devKey), devKey };
  };

  /** The newest row as it is stored: what the next version chains from when a catch-up stopped short. */
  const newestStored = async (trx: Knex) => {
    const row = await trx(HISTORY_TABLE).orderBy('version', 'desc').first('version', 'hash');
    return row
      ? { version: Number(row.version), mac: String(row.hash) }
      : { version: 0, mac: GENESIS_MAC };
  };

  /** Where a catch-up must start: the first item not signed with the current key, or past the head. */
  const catchUpFrom = async (trx: Knex, head: ChainHead, liveVersion: number) => {
    if (head.keyId === keys().current.id) {
      return liveVersion > head.version ? head.version + 1 : null;
    }
    const { id } = keys().current;
    const [row, checkpoint] = await Promise.all([
      trx(HISTORY_TABLE)
        .where((q) => q.whereNull('signed_with').orWhereNot('signed_with', id))
        .min('version as version')
        .first(),
      trx(CHECKPOINT_TABLE).whereNot('signed_with', id).min('from_version as version').first(),
    ]);
    const candidates = [row?.version, checkpoint?.version].filter((v) => v != null).map(Number);
    return candidates.length > 0 ? Math.min(...candidates) : head.version + 1;
  };

  /**
   * Under the writer lock: signs again, under the current key, whatever an
   * earlier release (legacy hash, within the grace period) or the previous key
   * wrote, and moves the head to the newest version. Returns the new head.
   */
  const catchUp = async (
    trx: Knex.Transaction,
    head: ChainHead,
    liveVersion: number
  ): Promise<ChainHead> => {
    const from = await catchUpFrom(trx, head, liveVersion);
    if (from === null) return head;
    const acceptLegacy =
      head.legacyGraceUntil !== null && Date.now() < Date.parse(head.legacyGraceUntil);
    const result = await resignFrom(trx, from, { keys: keys(), acceptLegacy });
    const next: ChainHead = {
      ...head,
      ...(result.stoppedAt === null ? result.head : await newestStored(trx)),
      keyId: keys().current.id,
    };
    await writeHead(trx, next);
    if (result.stoppedAt !== null) {
      strapi.log.error(
        `platform-settings: history version ${result.stoppedAt} cannot be vouched for (edited, or signed with another key); it was not re-signed — see GET /api/platform-settings/history/verify`
      );
    } else if (result.resigned > 0) {
      // Carries the new head, like every settings change: the log stays a witness of it.
      strapi.log.info(
        `platform-settings: re-signed ${result.resigned} history item(s) from version ${from} under key ${keys().current.id}`,
        { event: 'history.resigned', version: next.version, headMac: next.mac, keyId: next.keyId }
      );
    }
    return next;
  };

  /** First start on a database whose history predates the keyed chain: check it and sign it. */
  const migrate = async (trx: Knex.Transaction, head: ChainHead): Promise<ChainHead> => {
    const result = await resignFrom(trx, 1, { keys: keys(), acceptLegacy: true, legacyGaps: true });
    const next = {
      ...head,
      ...(result.stoppedAt === null ? result.head : await newestStored(trx)),
    };
    await writeHead(trx, next);
    if (result.stoppedAt === null) {
      strapi.log.info(
        `platform-settings: the history (${next.version} versions) was verified and signed under key ${keys().current.id}`,
        { event: 'history.resigned', version: next.version, headMac: next.mac, keyId: next.keyId }
      );
    } else {
      strapi.log.error(
        `platform-settings: the existing history does not verify at version ${result.stoppedAt}; versions before it were signed, nothing from there on was — see GET /api/platform-settings/history/verify`
      );
    }
    return next;
  };

  return {
    keys,

    /** At bootstrap, before anything writes: the key, the head, and any catch-up. */
    async prepare(): Promise<void> {
      await strapi.db.transaction(async ({ trx: strapiTrx }) => {
        const trx = strapiTrx as unknown as Knex.Transaction;
        let head = await lockChain(trx);
        const { ring: resolved, devKey } = await resolveKeys(trx);
        ring = resolved;
        if (!head) {
          const hasHistory = Boolean(await trx(HISTORY_TABLE).first('version'));
          head = {
            version: 0,
            mac: GENESIS_MAC,
            keyId: ring.current.id,
            legacyGraceUntil: hasHistory
              ? new Date(Date.now() + legacyGraceMs()).toISOString()
              : null,
          };
          await writeHead(trx, head);
          if (hasHistory) head = await migrate(trx, head);
        }
        if (devKey) {
          await trx(HEAD_TABLE)
            .where({ document_id: HEAD_DOCUMENT_ID })
            .update({ dev_key: devKey });
        }
        const live = await getService('settings').readLiveRow(trx);
        await catchUp(trx, head, live?.version ?? 0);
      });
    },

    /** Takes the writer lock for the rest of `trx`; returns the head. */
    async lock(trx: Knex.Transaction): Promise<ChainHead> {
      const head = await lockChain(trx);
      if (!head) throw new Error('platform-settings: the history chain head is missing');
      return head;
    },

    /** Under the lock: catches up when the head is behind the live row or under another key. */
    catchUp(trx: Knex.Transaction, head: ChainHead, liveVersion: number): Promise<ChainHead> {
      const behind = head.keyId !== keys().current.id || head.version !== liveVersion;
      return behind ? catchUp(trx, head, liveVersion) : Promise.resolve(head);
    },

    advance: writeHead,

    /**
     * Does this version's row still carry its own MAC, chained from what precedes
     * it? Checked before a rollback publishes an old snapshot again.
     */
    async rowIntegrity(version: number): Promise<'intact' | 'altered' | 'unknown-key'> {
      const db = connection();
      const raw = await db(HISTORY_TABLE).where({ version }).first();
      if (!raw) return 'altered';
      const row = rowFromDb(raw);
      const link = await linkBefore(db, version);
      const ring = [keys().current, keys().previous].filter((key) => key !== undefined);
      if (ring.some((key) => rowMac(key.secret, link, row) === row.hash)) return 'intact';
      return ring.some((key) => key.id === row.signedWith) ? 'altered' : 'unknown-key';
    },

    /** Walks the chain in one consistent snapshot of the database. */
    async verify(): Promise<VerifyReport> {
      const db = connection();
      const [head, live] = await Promise.all([
        readHead(db),
        getService('settings').readLiveRow(db),
      ]);
      if (head && live && (head.keyId !== keys().current.id || head.version < live.version)) {
        // An earlier release or the previous key wrote since: catch up first (a write, under the lock).
        await strapi.db.transaction(async ({ trx: strapiTrx }) => {
          const trx = strapiTrx as unknown as Knex.Transaction;
          const locked = await lockChain(trx);
          const current = await getService('settings').readLiveRow(trx);
          if (locked) await catchUp(trx, locked, current?.version ?? 0);
        });
      }
      const readSnapshot = async (trx: Knex) => {
        const verifier = createChainVerifier(keys());
        for await (const item of chainItems(trx)) {
          const going =
            'row' in item ? verifier.row(item.row) : verifier.checkpoint(item.checkpoint);
          if (!going) break;
          // Yield between pages so a long history never holds the event loop.
          if ('row' in item && item.row.version % 500 === 0) await new Promise(setImmediate);
        }
        const liveRow = await getService('settings').readLiveRow(trx);
        return verifier.finish({
          head: await readHead(trx),
          live: liveRow ? { version: liveRow.version, data: liveRow.data } : null,
        });
      };
      // A snapshot, so a write committed meanwhile cannot look like a break. (SQLite: a read
      // transaction in WAL mode is one.)
      return dialectOf(db) === 'sqlite'
        ? db.transaction(readSnapshot)
        : db.transaction(readSnapshot, { isolationLevel: 'repeatable read' });
    },
  };
};

export type ChainService = ReturnType<typeof createChainService>;

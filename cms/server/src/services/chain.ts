/**
 * The history chain inside the running server: which key signs it, the head
 * every writer locks, the check that a new version extends a chain that
 * verifies, and verify.
 *
 * Calls no other service: what a refusal counts is up to the caller.
 *
 * The server never decides on its own to trust or re-sign anything it finds in
 * the database: an unkeyed chain, a missing or unsigned head, or a head signed
 * with the previous key stops writes until an operator runs `history:adopt`
 * with the key (scripts/history-adopt.mjs). Only an empty database initialises
 * itself. The signing and checking live in `../chain` (shared with the
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
  HEAD_DOCUMENT_ID,
  HEAD_TABLE,
  headStanding,
  keyRingOf,
  keysForVersion,
  ringForType,
  linkBefore,
  liveDifferences,
  LIVE_SETTINGS,
  lockChain,
  readHead,
  rowFromDb,
  rowMac,
  SETTINGS_CHAIN,
  signHead,
  writeHead,
  type ChainHead,
  type ChainTables,
  type KeyRing,
  type LiveSubject,
  type VerifyReport,
} from '../chain';
import { unavailableFor } from '../utils/errors';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';
import type { VersionState } from '../stores/store';

/** What the chain compares the newest history row with: the type's live version and content. */
export type LiveState = Pick<VersionState, 'version' | 'data'>;

/** Why a new version cannot be signed: what verify would say, in short. */
export class ChainNotExtendable extends Error {
  constructor(
    readonly brokenAt: number,
    readonly reason: string,
    detail: string
  ) {
    super(`history version ${brokenAt} does not verify (${reason}): ${detail}`);
  }
}

export const createChainService = ({ strapi }: { strapi: Core.Strapi }) => {
  let ring: KeyRing | null = null;
  /** The last refusal logged per type, so a stream of refused writes logs it once. */
  const lastRefusal = new Map<string, string>();

  const connection = () => strapi.db.connection as unknown as Knex;

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
    if (process.env.NODE_ENV === 'production') {
      // register refuses this already; never fall back to a development key here.
      throw new Error('platform-settings: HISTORY_SIGNING_KEY is required in production');
    }
    const stored = await trx(HEAD_TABLE).where({ document_id: HEAD_DOCUMENT_ID }).first('dev_key');
    const devKey = (stored?.dev_key as string | null | undefined) || generateDevelopmentKey();
    strapi.log.warn(
      'platform-settings: HISTORY_SIGNING_KEY is not set; the history is signed with a development key kept in the database, which proves nothing against someone who can read the database. Set HISTORY_SIGNING_KEY (required in production).'
    );
    return { ring: keyRingOf(devKey), devKey };
  };

  /** A new install: no history, no checkpoint and no settings (only then is a head made without an operator). */
  const isEmpty = async (trx: Knex, tables: ChainTables, countLive: boolean) =>
    !(await trx(tables.history).first('version')) &&
    !(await trx(tables.checkpoints).first('id')) &&
    !(countLive && (await trx(tables.live).first('id')));

  /** The highest version any row of the type's content carries (0 for content never versioned). */
  const versionOfContent = async (trx: Knex, tables: ChainTables) =>
    Number((await trx(tables.live).max({ version: 'version' }).first())?.version ?? 0);

  /** The chain of one versioned type: its tables, and the ring derived for it. */
  const chainFor = (type: VersionedType) => {
    const { tables } = type;
    const typeKeys = () => ringForType(keys(), type.uid, type.isSettings);
    const subject: LiveSubject = type.isSettings
      ? LIVE_SETTINGS
      : { name: `the live ${type.displayName}`, is: 'is' };

    /**
     * Under the writer lock, before a new version is signed: the head must be
     * signed with the current key and name the live version, whose row must
     * verify where it stands and hold what is live. Otherwise nothing is signed.
     */
    const checkExtendable = async (
      trx: Knex,
      head: ChainHead | null,
      live: LiveState | null
    ): Promise<ChainHead> => {
      const ring = typeKeys();
      const standing = headStanding(ring, head);
      if (!head || standing !== 'signed') {
        const why = {
          missing: 'the chain head is missing',
          unsigned: 'the chain head is not signed',
          'previous-key': 'the chain head is signed with the previous key',
          forged: "the chain head's signature does not match it",
          signed: '',
        }[standing];
        throw new ChainNotExtendable(head?.version ?? 0, 'head', why);
      }
      const liveVersion = live?.version ?? 0;
      if (head.version !== liveVersion) {
        throw new ChainNotExtendable(
          head.version,
          'live-mismatch',
          `${subject.name} ${subject.is} at version ${liveVersion}, the signed head at ${head.version}`
        );
      }
      if (head.version === 0) return head;
      const raw = await trx(tables.history).where({ version: head.version }).first();
      if (!raw) {
        throw new ChainNotExtendable(head.version, 'missing', 'the newest version is missing');
      }
      const row = rowFromDb(raw);
      const link = await linkBefore(trx, head.version, tables);
      const allowed = keysForVersion(ring, head.events)(head.version);
      if (
        row.hash !== head.mac ||
        !allowed.some((key) => rowMac(key.secret, link, row) === row.hash)
      ) {
        throw new ChainNotExtendable(
          head.version,
          'altered',
          'the newest version does not match its MAC'
        );
      }
      const differs = live ? liveDifferences(row.data, live.data) : [];
      if (differs.length > 0) {
        throw new ChainNotExtendable(
          head.version,
          'live-mismatch',
          `${subject.name} differ${subject.is === 'is' ? 's' : ''} from the newest version in ${differs.join(', ')}`
        );
      }
      return head;
    };

    return {
      type,
      keys: typeKeys,

      /**
       * At bootstrap, after the settings' chain: the head of a type whose chain is
       * empty. Content that predates versioning (no version yet) starts a chain,
       * and bootstrap records it as a first version. Content that already carries
       * a version had a chain that was lost (an import that emptied the chain's
       * tables, a hand-made delete): starting another one would hide that, so no
       * head is made, writes are refused, and the start says which operator
       * command decides (`history:adopt -- --type <key>`). Returns 'lost' then.
       */
      async prepare(): Promise<'ready' | 'lost'> {
        return strapi.db.transaction(async ({ trx: strapiTrx }) => {
          const trx = strapiTrx as unknown as Knex.Transaction;
          const head = await lockChain(trx, tables);
          if (!head && (await isEmpty(trx, tables, type.isSettings))) {
            const lostAt = await versionOfContent(trx, tables);
            if (lostAt > 0) {
              strapi.log.error(
                `platform-settings: the history chain of ${type.uid} is empty, but its content is at version ${lostAt}: the chain was lost (a strapi import without the chain's tables, or rows deleted by hand). No new chain is started and its writes are refused until an operator checks what happened and runs npm run history:adopt -- --type ${type.key} (runbook: "After strapi import or strapi transfer")`,
                { event: 'history.chain-lost', type: type.uid, version: lostAt }
              );
              return 'lost';
            }
            await writeHead(
              trx,
              signHead(typeKeys().current, { version: 0, mac: GENESIS_MAC }),
              tables
            );
          }
          const standing = headStanding(typeKeys(), await readHead(trx, tables));
          if (standing !== 'signed') {
            strapi.log.error(
              `platform-settings: the history chain head of ${type.uid} is ${standing === 'previous-key' ? 'signed with the previous key' : standing}; its writes are refused until an operator checks the history and runs npm run history:adopt -- --type ${type.key} (see the runbook)`
            );
          }
          return 'ready';
        });
      },

      /** Takes the writer lock for the rest of `trx`; returns the head (null when missing). */
      lock: (trx: Knex.Transaction): Promise<ChainHead | null> => lockChain(trx, tables),

      /**
       * Under the lock: the head a new version may extend, or a 503 saying why
       * none may (logged once per distinct reason).
       */
      async extendable(
        trx: Knex,
        head: ChainHead | null,
        live: LiveState | null
      ): Promise<ChainHead> {
        try {
          const checked = await checkExtendable(trx, head, live);
          lastRefusal.delete(type.uid);
          return checked;
        } catch (error) {
          if (!(error instanceof ChainNotExtendable)) throw error;
          if (error.message !== lastRefusal.get(type.uid)) {
            lastRefusal.set(type.uid, error.message);
            strapi.log.error(
              `platform-settings: ${type.isSettings ? 'settings' : type.uid} write refused: ${error.message}`,
              {
                event: 'history.write-refused',
                type: type.uid,
                version: error.brokenAt,
                reason: error.reason,
              }
            );
          }
          throw Object.assign(
            unavailableFor(
              type.isSettings
                ? `Settings writes are stopped: ${error.message}. Nothing was changed. An operator must check GET /api/platform-settings/history/verify (see the runbook).`
                : `Writes to ${type.displayName} are stopped: ${error.message}. Nothing was changed. An operator must check GET ${type.publicPath}/history/verify (see the runbook).`,
              60
            ),
            // What the caller counts (versioning: the refused-writes metric).
            { writeRefused: error.reason }
          );
        }
      },

      /** Moves the head to a new version, signed, keeping its events. */
      advance: (trx: Knex, head: ChainHead, version: number, mac: string) =>
        writeHead(trx, signHead(typeKeys().current, { version, mac, events: head.events }), tables),

      /**
       * Does this version's row still carry its own MAC, chained from what precedes
       * it, under a key trusted for it? Checked before a rollback publishes an old
       * snapshot again.
       */
      async rowIntegrity(version: number): Promise<'intact' | 'altered' | 'unknown-key'> {
        const db = connection();
        const ring = typeKeys();
        const raw = await db(tables.history).where({ version }).first();
        if (!raw) return 'altered';
        const row = rowFromDb(raw);
        const head = await readHead(db, tables);
        const events = headStanding(ring, head) === 'signed' ? head!.events : [];
        const link = await linkBefore(db, version, tables);
        const allowed = keysForVersion(ring, events)(version);
        if (allowed.some((key) => rowMac(key.secret, link, row) === row.hash)) return 'intact';
        const known = [ring.current, ...ring.previous].some((key) => key.id === row.signedWith);
        return known ? 'altered' : 'unknown-key';
      },

      /**
       * Walks the chain in one consistent snapshot of the database. Reads only.
       * `readLive` runs inside that snapshot when it reads with the snapshot's
       * connection (settings); a type read through the Document Service is read
       * right after it (the snapshot holds SQLite's only connection).
       */
      async verify(
        readLive: (trx: Knex) => Promise<LiveState | null>,
        { liveInSnapshot = true } = {}
      ): Promise<VerifyReport> {
        const db = connection();
        const walk = async (trx: Knex) => {
          const verifier = createChainVerifier(typeKeys(), await readHead(trx, tables));
          for await (const item of chainItems(trx, 1, tables)) {
            const going =
              'row' in item ? verifier.row(item.row) : verifier.checkpoint(item.checkpoint);
            if (!going) break;
            // Yield between pages so a long history never holds the event loop.
            if ('row' in item && item.row.version % 500 === 0) await new Promise(setImmediate);
          }
          return { verifier, live: liveInSnapshot ? await readLive(trx) : undefined };
        };
        // A snapshot, so a write committed meanwhile cannot look like a break. (SQLite: a read
        // transaction in WAL mode is one.)
        const walked =
          dialectOf(db) === 'sqlite'
            ? await db.transaction(walk)
            : await db.transaction(walk, { isolationLevel: 'repeatable read' });
        const live = walked.live === undefined ? await readLive(db) : walked.live;
        return walked.verifier.finish({
          live: live ? { version: live.version, data: live.data } : null,
          subject,
        });
      },
    };
  };

  const settingsChain = chainFor(SETTINGS_TYPE);
  const typeChains = new Map<string, ReturnType<typeof chainFor>>();

  return {
    keys,

    /** At bootstrap, before anything writes: the key, and the head of an empty database. */
    async prepare(): Promise<void> {
      await strapi.db.transaction(async ({ trx: strapiTrx }) => {
        const trx = strapiTrx as unknown as Knex.Transaction;
        const head = await lockChain(trx);
        const { ring: resolved, devKey } = await resolveKeys(trx);
        ring = resolved;
        if (!head && (await isEmpty(trx, SETTINGS_CHAIN, true))) {
          await writeHead(trx, signHead(ring.current, { version: 0, mac: GENESIS_MAC }));
        }
        if (devKey) {
          await trx(HEAD_TABLE)
            .where({ document_id: HEAD_DOCUMENT_ID })
            .update({ dev_key: devKey });
        }
        const standing = headStanding(ring, await readHead(trx));
        if (standing !== 'signed') {
          strapi.log.error(
            `platform-settings: the history chain head is ${standing === 'previous-key' ? 'signed with the previous key' : standing}; settings writes are refused until an operator checks the history and runs npm run history:adopt (see the runbook)`
          );
        }
      });
    },

    /** The settings' chain: is this version's row intact? */
    rowIntegrity: settingsChain.rowIntegrity,

    /** The chain of any versioned type (the settings' one for the settings type). */
    of(type: VersionedType) {
      if (type.isSettings) return settingsChain;
      let chain = typeChains.get(type.uid);
      if (!chain) typeChains.set(type.uid, (chain = chainFor(type)));
      return chain;
    },
  };
};

export type ChainService = ReturnType<typeof createChainService>;
export type TypeChain = ReturnType<ChainService['of']>;

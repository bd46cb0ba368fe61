/**
 * Scheduled changes of any versioned type: publish the draft, roll back to a
 * version, or (the settings only) apply a patch of their own, at a given time,
 * with nobody awake. Everything here is the same for every type; what a
 * schedule does to its type is in schedule-targets.ts, and `of(type)` gives
 * one type's schedules (the admin routes under `/types/<key>/schedules`). They live in the
 * database, so they survive restarts; every instance checks for due ones, and
 * each runs exactly once: an instance first claims the row (pending → running,
 * a conditional update, so a cancel and a run never both win), then the change
 * goes through `versioning.commit(type)` (the type's lock and chain) with the Idempotency-Key `schedule:<id>` (a
 * second run after a crash replays instead of applying it again) and marks the
 * schedule done in the same transaction. A schedule that runs late (the server
 * was down) says so in its note. The version it makes is credited to the admin
 * who created it.
 *
 * A schedule is signed intent: its row carries a MAC made at creation
 * (chain/schedule-mac.ts), so a row inserted or edited in the database never
 * runs (failed: tampered). When it runs, its data is validated again and its
 * author must still hold the permissions the change needs. One that is no
 * longer valid fails visibly (status, log line, metric, alert); one made "only
 * if live is still version N" is skipped when live has moved on.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type {
  ChangeAuthor,
  Schedule,
  ScheduleFailureReason,
} from '../../../shared/contracts/settings';
import {
  SCHEDULE_MAC_FORMAT,
  scheduleMac,
  signedScheduleFromDb,
  verifyScheduleMac,
  type ScheduleKeys,
} from '../chain/schedule-mac';
import { describePermission, missingPermissions, permissionsToSchedule } from '../permissions';
import {
  conflict,
  errors,
  fieldError,
  forbidden,
  unprocessable,
  type FieldError,
} from '../utils/errors';
import { getService } from '../utils/get-service';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';
import { PLUGIN_ID, SETTINGS_UID } from '../utils/constants';
import { requestHashOf } from '../utils/write-response';
import { doneOutcome, failedRunOutcome } from './schedule-outcome';
import { createScheduleTargets, type ScheduleTarget } from './schedule-targets';
import type { AnyCommitResult } from './versioning';

const TABLE = 'platform_settings_schedules';
/** Later than this after its time, a run says it ran late. */
const LATE_AFTER_MS = 60_000;
/** A claim older than this was left by an instance that stopped mid-run: another may take it over. */
const STALE_CLAIM_MS = 5 * 60_000;
const MAX_NOTE_LENGTH = 500;

type Raw = Record<string, unknown>;
/** JSON columns come back parsed or as text, depending on the database; unreadable JSON reads as null. */
const parseJson = <T>(value: unknown): T => {
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null as T;
  }
};
const toIso = (value: unknown) =>
  value == null
    ? null
    : new Date(
        typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string)
      ).toISOString();

export const fromDb = (raw: Raw): Schedule => ({
  id: Number(raw.id),
  kind: raw.kind as Schedule['kind'],
  runAt: toIso(raw.run_at)!,
  data: raw.data == null ? null : parseJson(raw.data),
  targetVersion: raw.target_version == null ? null : Number(raw.target_version),
  ifVersion: raw.if_version == null ? null : Number(raw.if_version),
  note: (raw.note as string | null) ?? null,
  author: parseJson(raw.author),
  status: raw.status as Schedule['status'],
  failureReason: (raw.failure_reason as ScheduleFailureReason | null) ?? null,
  resultVersion: raw.result_version == null ? null : Number(raw.result_version),
  resultMessage: (raw.result_message as string | null) ?? null,
  ranAt: toIso(raw.ran_at),
  createdAt: toIso(raw.created_at)!,
});

export const signedScheduleOf = signedScheduleFromDb;

interface AdminUser {
  id: number;
  isActive?: boolean;
  blocked?: boolean;
}

export interface NewSchedule {
  kind: Schedule['kind'];
  runAt: string;
  data?: Record<string, unknown> | null;
  targetVersion?: number | null;
  ifVersion?: number | null;
  note?: string | null;
}

/** The rows of one type; the settings' include rows made before the column existed (empty). */
const ofType = (type: VersionedType) => (query: Knex.QueryBuilder) =>
  type.isSettings
    ? query.where((settings) => settings.where({ type_uid: SETTINGS_UID }).orWhereNull('type_uid'))
    : query.where({ type_uid: type.uid });

export const createSchedulesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const db = () => strapi.db.connection as unknown as Knex;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const targetOf = createScheduleTargets(strapi);

  /** The type a row changes, or null when that type is no longer versioned. */
  const typeOfRow = (raw: Raw): VersionedType | null => {
    const uid = raw.type_uid == null ? SETTINGS_UID : String(raw.type_uid);
    return uid === SETTINGS_UID ? SETTINGS_TYPE : (getService('versionedTypes').byUid(uid) ?? null);
  };

  const checkInterval = () =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.scheduleCheckMs`, 5000));

  const validate = (target: ScheduleTarget, input: unknown): NewSchedule => {
    const problems: FieldError[] = [];
    const body = (input ?? {}) as Record<string, unknown>;
    const allowed = new Set(['kind', 'runAt', 'data', 'targetVersion', 'ifVersion', 'note']);
    for (const key of Object.keys(body)) {
      if (!allowed.has(key)) problems.push(fieldError(key, 'is not allowed'));
    }
    const { kind, runAt, data, targetVersion, ifVersion, note } = body;
    if (!target.kinds.includes(kind as Schedule['kind'])) {
      const kinds = target.kinds;
      problems.push(
        fieldError(
          'kind',
          `must be ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}${
            kind === 'patch' ? ' (a patch is for the settings only)' : ''
          }`
        )
      );
    }
    const when = typeof runAt === 'string' ? Date.parse(runAt) : NaN;
    if (typeof runAt !== 'string' || Number.isNaN(when) || !/[zZ]|[+-]\d\d:?\d\d$/.test(runAt)) {
      problems.push(fieldError('runAt', 'must be a date and time with its time zone (ISO 8601)'));
    } else if (when <= getService('clock').now()) {
      problems.push(fieldError('runAt', 'must be in the future'));
    }
    if (kind === 'patch' && target.kinds.includes('patch')) {
      if (
        typeof data !== 'object' ||
        data === null ||
        Array.isArray(data) ||
        Object.keys(data).length === 0
      ) {
        problems.push(fieldError('data', 'must be an object with at least one settings field'));
      } else {
        problems.push(...target.checkPatch(data as Record<string, unknown>, ['data']));
      }
    } else if (data !== undefined && data !== null) {
      problems.push(fieldError('data', 'is only for a patch'));
    }
    const positive = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;
    if (kind === 'rollback' && !positive(targetVersion)) {
      problems.push(fieldError('targetVersion', 'must be the version to roll back to'));
    } else if (kind !== 'rollback' && targetVersion !== undefined && targetVersion !== null) {
      problems.push(fieldError('targetVersion', 'is only for a rollback'));
    }
    if (ifVersion !== undefined && ifVersion !== null && !positive(ifVersion)) {
      problems.push(fieldError('ifVersion', 'must be a version number'));
    }
    if (
      note !== undefined &&
      note !== null &&
      (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH || note.includes('\u0000'))
    ) {
      problems.push(fieldError('note', `must be text of at most ${MAX_NOTE_LENGTH} characters`));
    }
    if (problems.length > 0) throw unprocessable('Invalid schedule', problems);
    return {
      kind: kind as Schedule['kind'],
      runAt: new Date(when).toISOString(),
      data: kind === 'patch' ? (data as Record<string, unknown>) : null,
      targetVersion: kind === 'rollback' ? (targetVersion as number) : null,
      ifVersion: (ifVersion as number | null | undefined) ?? null,
      note: (note as string | null | undefined) ?? null,
    };
  };

  /** What the schedule would change if it ran now. */
  const previewDiff = async (target: ScheduleTarget, schedule: Schedule) => {
    try {
      return await target.preview(schedule);
    } catch {
      return [];
    }
  };

  const finish = (
    id: number,
    status: Schedule['status'],
    message: string,
    version: number | null,
    reason: ScheduleFailureReason | null = null,
    trx: Knex = db()
  ) =>
    trx(TABLE).where({ id }).update({
      status,
      result_message: message,
      result_version: version,
      failure_reason: reason,
      ran_at: new Date(),
      updated_at: new Date(),
      // The signed intent is spent: set back to pending or copied, the row fails as tampered.
      mac: null,
    });

  /**
   * Whether the row is exactly what this server signed when it was created. The
   * keys are read by the caller first: no keys yet is an error, never "tampered".
   */
  const isSigned = (keys: ScheduleKeys, raw: Raw): boolean => {
    try {
      return verifyScheduleMac(keys, signedScheduleOf(raw), {
        mac: (raw.mac as string | null) ?? null,
        signedWith: (raw.signed_with as string | null) ?? null,
        macFormat: raw.mac_format == null ? null : Number(raw.mac_format),
      });
    } catch {
      // A row the database cannot even give back as a schedule (a bad date, say).
      return false;
    }
  };

  /**
   * Signed with a key the ring still lists as previous: a rotation not adopted yet
   * (`history:adopt` signs such schedules again). Neither run nor failed meanwhile.
   */
  const awaitsAdoption = (raw: Raw) =>
    getService('chain')
      .keys()
      .previous.some((key) => key.id === raw.signed_with);

  /** A row nobody signed, or edited since: it never runs, and says why. `from`: the status it must still have. */
  const failTampered = async (raw: Raw, from: Schedule['status']) => {
    const id = Number(raw.id);
    const marked = await db()(TABLE).where({ id, status: from }).update({
      status: 'failed',
      failure_reason: 'tampered',
      result_message:
        'Failed: tampered. This schedule is not what was prepared through the admin (its signature does not match), so it did not run.',
      result_version: null,
      ran_at: new Date(),
      updated_at: new Date(),
    });
    if (Number(marked) === 0) return;
    getService('metrics').scheduleRun('tampered');
    strapi.log.error(
      `platform-settings: schedule ${id} does not match its signature (inserted or edited in the database); it will not run`,
      { event: 'schedule.tampered', schedule: id, kind: String(raw.kind) }
    );
  };

  /**
   * The checks a schedule passes again when it runs: its author, as an active
   * admin, still holds what the change needs (403), and its data is still valid (422).
   */
  const recheck = async (target: ScheduleTarget, schedule: Schedule) => {
    const authorId = schedule.author?.kind === 'admin' ? schedule.author.id : undefined;
    if (authorId === undefined) throw forbidden('It has no admin as its author');
    const user = (await strapi.db
      .query('admin::user')
      .findOne({ where: { id: authorId }, populate: ['roles'] })) as AdminUser | null;
    if (!user) throw forbidden(`Its author (admin ${authorId}) no longer exists`);
    if (user.isActive === false || user.blocked) {
      throw forbidden(`Its author (admin ${user.id}) is no longer active`);
    }
    const missing = await missingPermissions(
      strapi,
      user,
      permissionsToSchedule(schedule.kind, target.type)
    );
    if (missing.length > 0) {
      throw forbidden(
        `Its author (admin ${user.id}) no longer has the permission ${missing.map(describePermission).join(' and ')}`
      );
    }
    await target.recheck(schedule);
  };

  /** Runs one due schedule: the change and the record of it, in one transaction. */
  const execute = async (
    target: ScheduleTarget,
    schedule: Schedule,
    now: number,
    documentId: string
  ) => {
    const late = now - Date.parse(schedule.runAt) > LATE_AFTER_MS;
    const lateNote = late
      ? ` (ran late: scheduled for ${schedule.runAt}, the server was not running then)`
      : '';
    const author: ChangeAuthor = {
      ...schedule.author,
      scheduled: { id: schedule.id, runAt: schedule.runAt },
    };
    const run = await target.prepare(schedule);
    return run.commit({
      author,
      note: `${schedule.note ?? `Scheduled ${schedule.kind}`}${lateNote}`,
      ifVersion: schedule.ifVersion ?? undefined,
      idempotency: {
        // The signed document id, not the row id: a copy of the row replays the first run.
        key: `schedule:${documentId}`,
        requestHash: requestHashOf({ schedule: schedule.id, kind: schedule.kind }),
      },
      inTransaction: async (trx: Knex.Transaction, result: AnyCommitResult) => {
        const { version, message } = doneOutcome(result, late);
        await finish(schedule.id, 'done', `${message}${run.remark}`, version, null, trx);
      },
    });
  };

  /** Claims a due schedule (pending, or running under a stale claim), checks it, runs it. */
  const runOne = async (id: number, now: number, keys: ScheduleKeys) => {
    const claimed = await db()(TABLE)
      .where({ id })
      .where((query) =>
        query
          .where({ status: 'pending' })
          .orWhere((stale) =>
            stale
              .where({ status: 'running' })
              .where('claimed_at', '<', new Date(now - STALE_CLAIM_MS))
          )
      )
      .update({ status: 'running', claimed_at: new Date(now), updated_at: new Date() });
    // Cancelled, or another instance got there first.
    if (Number(claimed) === 0) return;
    const raw = await db()(TABLE).where({ id }).first();
    if (!raw) return;
    if (awaitsAdoption(raw)) {
      await db()(TABLE)
        .where({ id, status: 'running' })
        .update({ status: 'pending', claimed_at: null, updated_at: new Date() });
      strapi.log.warn(
        `platform-settings: schedule ${id} is signed with the previous key; it waits for npm run history:adopt`
      );
      return;
    }
    if (!isSigned(keys, raw)) {
      await failTampered(raw, 'running');
      return;
    }
    const schedule = fromDb(raw);
    const metrics = getService('metrics');
    const type = typeOfRow(raw);
    try {
      if (!type) {
        throw unprocessable('Invalid schedule', [
          fieldError('type', `${String(raw.type_uid)} is no longer a versioned type`),
        ]);
      }
      const target = targetOf(type);
      await recheck(target, schedule);
      const result = await execute(target, schedule, now, String(raw.document_id));
      metrics.scheduleRun('done');
      strapi.log.info(`platform-settings: schedule ${schedule.id} (${schedule.kind}) ran`, {
        event: 'schedule.ran',
        schedule: schedule.id,
        kind: schedule.kind,
        ...(type.isSettings ? {} : { type: type.uid }),
        outcome: result.outcome,
      });
    } catch (error) {
      const outcome = failedRunOutcome(error, schedule.ifVersion);
      if (outcome.status === 'pending') {
        // Not the change's fault (the database, say): back to pending, tried again.
        strapi.log.warn(
          `platform-settings: schedule ${schedule.id} could not run yet: ${(error as Error).message}`
        );
        await db()(TABLE)
          .where({ id, status: 'running' })
          .update({ status: 'pending', claimed_at: null, updated_at: new Date() })
          .catch(() => undefined);
        return;
      }
      const { status, reason, message } = outcome;
      await finish(schedule.id, status, message, null, reason);
      metrics.scheduleRun(status);
      strapi.log.error(`platform-settings: schedule ${schedule.id} (${schedule.kind}) ${message}`, {
        event: 'schedule.failed',
        schedule: schedule.id,
        kind: schedule.kind,
        result: status,
        ...(reason ? { reason } : {}),
      });
    }
  };

  /** One type's schedules: what its admin routes prepare, list and cancel. */
  const schedulesOf = (type: VersionedType) => {
    const target = targetOf(type);
    const rows = () => db()(TABLE).modify(ofType(type));
    return {
      type,

      validate: (input: unknown) => validate(target, input),

      async create(input: NewSchedule, author: ChangeAuthor): Promise<Schedule> {
        if (input.kind === 'rollback' && !(await target.versionExists(input.targetVersion!))) {
          throw unprocessable('Invalid schedule', [
            fieldError('targetVersion', `version ${input.targetVersion} does not exist`),
          ]);
        }
        const key = getService('chain').keys().current;
        const now = new Date();
        // Signed over the row as the database gives it back (its date precision), in the
        // transaction that inserts it, so no instance ever sees it unsigned.
        return db().transaction(async (trx) => {
          const [inserted] = await trx(TABLE)
            .insert({
              document_id: randomUUID(),
              type_uid: type.uid,
              kind: input.kind,
              run_at: new Date(input.runAt),
              data: input.data ? JSON.stringify(input.data) : null,
              target_version: input.targetVersion ?? null,
              if_version: input.ifVersion ?? null,
              note: input.note ?? null,
              author: JSON.stringify(author),
              status: 'pending',
              created_at: now,
              updated_at: now,
              published_at: now,
            })
            .returning('id');
          const id = typeof inserted === 'object' ? (inserted as { id: number }).id : inserted;
          const row = await trx(TABLE).where({ id }).first();
          await trx(TABLE)
            .where({ id })
            .update({
              mac: scheduleMac(key.secret, signedScheduleOf(row)),
              signed_with: key.id,
              mac_format: SCHEDULE_MAC_FORMAT,
            });
          return fromDb(await trx(TABLE).where({ id }).first());
        });
      },

      /**
       * Upcoming ones first (pending or running, soonest first) with what they would
       * change now, then the 50 latest others. A pending row that does not match its
       * signature is marked failed: tampered on the way.
       */
      async list() {
        const upcoming: Raw[] = await rows()
          .whereIn('status', ['pending', 'running'])
          .orderBy([{ column: 'run_at' }, { column: 'id' }]);
        const keys = getService('chain').keys();
        const tampered = upcoming.filter(
          (raw) => raw.status === 'pending' && !awaitsAdoption(raw) && !isSigned(keys, raw)
        );
        for (const raw of tampered) await failTampered(raw, 'pending');
        const pending = upcoming.filter((raw) => !tampered.includes(raw)).map(fromDb);
        const past = (
          await rows()
            .whereNotIn('status', ['pending', 'running'])
            .orderBy('updated_at', 'desc')
            .limit(50)
        ).map(fromDb);
        return {
          pending: await Promise.all(
            pending.map(async (schedule) => ({
              ...schedule,
              diff: await previewDiff(target, schedule),
            }))
          ),
          past,
        };
      },

      /** The kind of schedule `id` of this type, or null when it has none. */
      async kindOf(id: number): Promise<Schedule['kind'] | null> {
        const row = await rows().where({ id }).first('kind');
        return row ? (row.kind as Schedule['kind']) : null;
      },

      /** Only a pending schedule can be cancelled: one being run, or finished, answers 409. */
      async cancel(id: number): Promise<Schedule> {
        const updated = await rows().where({ id, status: 'pending' }).update({
          status: 'cancelled',
          result_message: 'Cancelled',
          updated_at: new Date(),
          // Cancelling withdraws the signature: set back to pending, the row fails as tampered.
          mac: null,
        });
        const row = await rows().where({ id }).first();
        if (!row) throw new errors.NotFoundError(`Schedule ${id} does not exist`);
        if (Number(updated) === 0) {
          throw conflict(
            row.status === 'running'
              ? `Schedule ${id} is running now and can no longer be cancelled`
              : `Schedule ${id} is ${row.status}; only a pending schedule can be cancelled`,
            { status: row.status }
          );
        }
        return fromDb(row);
      },
    };
  };

  const settingsSchedules = schedulesOf(SETTINGS_TYPE);

  return {
    /** One type's schedules. */
    of: (type: VersionedType) => (type.isSettings ? settingsSchedules : schedulesOf(type)),

    // The settings' schedules, as before other types had any.
    validate: settingsSchedules.validate,
    create: settingsSchedules.create,
    list: settingsSchedules.list,
    kindOf: settingsSchedules.kindOf,
    cancel: settingsSchedules.cancel,

    /**
     * Runs every schedule that is due, oldest first: pending ones whose time has
     * come, and running ones whose claim went stale. Safe to call from every instance at once.
     */
    async runDue(): Promise<void> {
      running ??= (async () => {
        try {
          const now = getService('clock').now();
          const keys = getService('chain').keys();
          const due: Raw[] = await db()(TABLE)
            .where((query) =>
              query
                .where({ status: 'pending' })
                .where('run_at', '<=', new Date(now))
                .orWhere((stale) =>
                  stale
                    .where({ status: 'running' })
                    .where('claimed_at', '<', new Date(now - STALE_CLAIM_MS))
                )
            )
            .orderBy([{ column: 'run_at' }, { column: 'id' }])
            .select('id');
          for (const { id } of due) await runOne(Number(id), now, keys);
          // Open admin pages show it ran (other instances notice by their own check).
          if (due.length > 0) await getService('adminEvents').changed('schedules');
        } catch (error) {
          strapi.log.warn(
            `platform-settings: checking schedules failed: ${(error as Error).message}`
          );
        } finally {
          running = null;
        }
      })();
      return running;
    },

    start() {
      timer = setInterval(() => void this.runDue(), checkInterval());
      timer.unref();
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
};

export type SchedulesService = ReturnType<typeof createSchedulesService>;

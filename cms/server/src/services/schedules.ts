/**
 * Scheduled changes: publish the draft, roll back to a version, or apply a
 * patch of their own, at a given time, with nobody awake. They live in the
 * database, so they survive restarts; every instance checks for due ones, and
 * each runs exactly once: the change goes through `versioning.commit` with the
 * Idempotency-Key `schedule:<id>` (a second instance replays instead of
 * applying it again) and marks the schedule done in the same transaction. A
 * schedule that runs late (the server was down) says so in its note. One that
 * is no longer valid fails visibly (422: status, log line, metric, alert); one
 * made "only if live is still version N" is skipped when live has moved on.
 * The version it makes is credited to the admin who created it.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { ChangeAuthor, FieldDiff, Schedule } from '../../../shared/contracts/settings';
import { diffSnapshots } from '../utils/diff';
import { errors, fieldError, unprocessable, type FieldError } from '../utils/errors';
import { editableFieldNames } from '../utils/fields';
import { getService } from '../utils/get-service';
import { PLUGIN_ID } from '../utils/constants';
import { requestHashOf } from '../utils/write-response';
import { checkSettingsData } from '../validation/settings';
import type { CommitResult } from './versioning';

const TABLE = 'platform_settings_schedules';
/** Later than this after its time, a run says it ran late. */
const LATE_AFTER_MS = 60_000;
const MAX_NOTE_LENGTH = 500;

type Raw = Record<string, unknown>;
const parseJson = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;
const toIso = (value: unknown) =>
  value == null
    ? null
    : new Date(
        typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string)
      ).toISOString();

const fromDb = (raw: Raw): Schedule => ({
  id: Number(raw.id),
  kind: raw.kind as Schedule['kind'],
  runAt: toIso(raw.run_at)!,
  data: raw.data == null ? null : parseJson(raw.data),
  targetVersion: raw.target_version == null ? null : Number(raw.target_version),
  ifVersion: raw.if_version == null ? null : Number(raw.if_version),
  note: (raw.note as string | null) ?? null,
  author: parseJson(raw.author),
  status: raw.status as Schedule['status'],
  resultVersion: raw.result_version == null ? null : Number(raw.result_version),
  resultMessage: (raw.result_message as string | null) ?? null,
  ranAt: toIso(raw.ran_at),
  createdAt: toIso(raw.created_at)!,
});

/** An error the API would answer with a 4xx: the change is not valid (any more). */
const statusOf = (error: unknown): number | undefined =>
  (error as { status?: number; statusCode?: number }).status ??
  (error as { statusCode?: number }).statusCode ??
  (error instanceof errors.NotFoundError ? 404 : undefined);

export interface NewSchedule {
  kind: Schedule['kind'];
  runAt: string;
  data?: Record<string, unknown> | null;
  targetVersion?: number | null;
  ifVersion?: number | null;
  note?: string | null;
}

export const createSchedulesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const db = () => strapi.db.connection as unknown as Knex;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const checkInterval = () =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.scheduleCheckMs`, 5000));

  const validate = (input: unknown): NewSchedule => {
    const problems: FieldError[] = [];
    const body = (input ?? {}) as Record<string, unknown>;
    const allowed = new Set(['kind', 'runAt', 'data', 'targetVersion', 'ifVersion', 'note']);
    for (const key of Object.keys(body)) {
      if (!allowed.has(key)) problems.push(fieldError(key, 'is not allowed'));
    }
    const { kind, runAt, data, targetVersion, ifVersion, note } = body;
    if (kind !== 'publish' && kind !== 'rollback' && kind !== 'patch') {
      problems.push(fieldError('kind', 'must be publish, rollback or patch'));
    }
    const when = typeof runAt === 'string' ? Date.parse(runAt) : NaN;
    if (typeof runAt !== 'string' || Number.isNaN(when) || !/[zZ]|[+-]\d\d:?\d\d$/.test(runAt)) {
      problems.push(fieldError('runAt', 'must be a date and time with its time zone (ISO 8601)'));
    } else if (when <= getService('clock').now()) {
      problems.push(fieldError('runAt', 'must be in the future'));
    }
    if (kind === 'patch') {
      if (
        typeof data !== 'object' ||
        data === null ||
        Array.isArray(data) ||
        Object.keys(data).length === 0
      ) {
        problems.push(fieldError('data', 'must be an object with at least one settings field'));
      } else {
        problems.push(...checkSettingsData(data as Record<string, unknown>, ['data']));
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
  const previewDiff = async (schedule: Schedule): Promise<FieldDiff[]> => {
    const settings = getService('settings');
    const live = await settings.readLiveRow();
    if (!live) return [];
    const fields = editableFieldNames(strapi);
    try {
      switch (schedule.kind) {
        case 'publish': {
          const draft = await settings.readDraftRow();
          return diffSnapshots(fields, live.data, draft?.data ?? live.data);
        }
        case 'patch':
          return diffSnapshots(fields, live.data, { ...live.data, ...(schedule.data ?? {}) });
        case 'rollback':
          return (await getService('rollback').plan(schedule.targetVersion!)).diff;
      }
    } catch {
      return [];
    }
  };

  const finish = (
    id: number,
    status: Schedule['status'],
    message: string,
    version: number | null,
    trx: Knex = db()
  ) =>
    trx(TABLE).where({ id }).update({
      status,
      result_message: message,
      result_version: version,
      ran_at: new Date(),
      updated_at: new Date(),
    });

  /** Runs one due schedule: the change and the record of it, in one transaction. */
  const execute = async (schedule: Schedule, now: number) => {
    const late = now - Date.parse(schedule.runAt) > LATE_AFTER_MS;
    const lateNote = late
      ? ` (ran late: scheduled for ${schedule.runAt}, the server was not running then)`
      : '';
    const author: ChangeAuthor = {
      ...schedule.author,
      scheduled: { id: schedule.id, runAt: schedule.runAt },
    };
    const options = {
      author,
      note: `${schedule.note ?? `Scheduled ${schedule.kind}`}${lateNote}`,
      ifVersion: schedule.ifVersion ?? undefined,
      idempotency: {
        key: `schedule:${schedule.id}`,
        requestHash: requestHashOf({ schedule: schedule.id, kind: schedule.kind }),
      },
      inTransaction: async (trx: Knex.Transaction, result: CommitResult) => {
        const version =
          result.outcome === 'committed'
            ? result.committed.version
            : result.outcome === 'unchanged'
              ? result.live.version
              : result.entry.version;
        const message =
          result.outcome === 'committed'
            ? `Made version ${version}${late ? ', late' : ''}`
            : `Nothing to change: live was already as scheduled (version ${version})`;
        await finish(schedule.id, 'done', message, version, trx);
      },
    };
    const settings = getService('settings');
    const versioning = getService('versioning');
    switch (schedule.kind) {
      case 'publish':
        return versioning.commit({
          kind: 'publish-draft',
          changeType: 'update',
          data: {},
          ...options,
        });
      case 'patch':
        return versioning.commit({
          kind: 'patch',
          changeType: 'update',
          data: schedule.data ?? {},
          ...options,
        });
      case 'rollback': {
        const plan = await getService('rollback').plan(schedule.targetVersion!);
        return settings.restore(plan.data, schedule.targetVersion!, options);
      }
    }
  };

  const runOne = async (schedule: Schedule, now: number) => {
    const metrics = getService('metrics');
    try {
      const result = await execute(schedule, now);
      metrics.scheduleRun('done');
      strapi.log.info(`platform-settings: schedule ${schedule.id} (${schedule.kind}) ran`, {
        event: 'schedule.ran',
        schedule: schedule.id,
        kind: schedule.kind,
        outcome: result.outcome,
      });
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || status >= 500) {
        // Not the change's fault (the database, say): it stays pending and is tried again.
        strapi.log.warn(
          `platform-settings: schedule ${schedule.id} could not run yet: ${(error as Error).message}`
        );
        return;
      }
      const skipped = status === 412;
      const message = skipped
        ? `Skipped: live is no longer version ${schedule.ifVersion}`
        : `Failed: ${(error as Error).message}`;
      await finish(schedule.id, skipped ? 'skipped' : 'failed', message, null);
      metrics.scheduleRun(skipped ? 'skipped' : 'failed');
      strapi.log.error(`platform-settings: schedule ${schedule.id} (${schedule.kind}) ${message}`, {
        event: 'schedule.failed',
        schedule: schedule.id,
        kind: schedule.kind,
        result: skipped ? 'skipped' : 'failed',
      });
    }
  };

  return {
    validate,

    async create(input: NewSchedule, author: ChangeAuthor): Promise<Schedule> {
      if (input.kind === 'rollback' && !(await getService('history').get(input.targetVersion!))) {
        throw unprocessable('Invalid schedule', [
          fieldError('targetVersion', `version ${input.targetVersion} does not exist`),
        ]);
      }
      const now = new Date();
      const [inserted] = await db()(TABLE)
        .insert({
          document_id: `schedule-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
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
      return fromDb(await db()(TABLE).where({ id }).first());
    },

    /** Pending ones first (soonest first) with what they would change now, then the 50 latest others. */
    async list() {
      const pending = (
        await db()(TABLE)
          .where({ status: 'pending' })
          .orderBy([{ column: 'run_at' }, { column: 'id' }])
      ).map(fromDb);
      const past = (
        await db()(TABLE).whereNot({ status: 'pending' }).orderBy('updated_at', 'desc').limit(50)
      ).map(fromDb);
      return {
        pending: await Promise.all(
          pending.map(async (schedule) => ({ ...schedule, diff: await previewDiff(schedule) }))
        ),
        past,
      };
    },

    async cancel(id: number): Promise<Schedule> {
      const updated = await db()(TABLE)
        .where({ id, status: 'pending' })
        .update({ status: 'cancelled', result_message: 'Cancelled', updated_at: new Date() });
      const row = await db()(TABLE).where({ id }).first();
      if (!row) throw new errors.NotFoundError(`Schedule ${id} does not exist`);
      if (Number(updated) === 0) {
        throw unprocessable('This schedule cannot be cancelled', [
          fieldError('id', `is ${row.status}, not pending`),
        ]);
      }
      return fromDb(row);
    },

    /** Runs every pending schedule that is due, oldest first. Safe to call from every instance at once. */
    async runDue(): Promise<void> {
      running ??= (async () => {
        try {
          const now = getService('clock').now();
          const due = (
            await db()(TABLE)
              .where({ status: 'pending' })
              .where('run_at', '<=', new Date(now))
              .orderBy([{ column: 'run_at' }, { column: 'id' }])
          ).map(fromDb);
          for (const schedule of due) await runOne(schedule, now);
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

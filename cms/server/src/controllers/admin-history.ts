/**
 * Admin-only history operations: comparing two versions and pinning, for any
 * versioned type (the settings' by default). Listing, reading and rolling back
 * reuse the REST controllers (`history`, `rollback`, and each type's own in
 * type-routes.ts), which already record the signed-in admin as the author on
 * admin routes.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type {
  CompareVersions,
  FieldDiff,
  HistoryEntry,
  PinVersion,
} from '../../../shared/contracts/settings';
import { diffSnapshots } from '../utils/diff';
import { errors, fieldError, unprocessable } from '../utils/errors';
import { editableFieldNames } from '../utils/fields';
import { getService } from '../utils/get-service';
import { assertJsonBody } from '../utils/http';
import { parseVersionParam, withoutNul } from '../validation/settings';
import { attributeDiff } from '../stores/snapshot';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';

/** Same limit as the `pinLabel` column. */
const MAX_PIN_LABEL_LENGTH = 120;

const findEntry = async (type: VersionedType, version: number): Promise<HistoryEntry> => {
  const entry = await getService('history').of(type).get(version);
  if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
  return entry;
};

/**
 * Fields of the current schema first (in schema order), then any that only an
 * older snapshot still has, so a removed field shows up as removed.
 */
const compareSnapshots = (
  fields: string[],
  from: Record<string, unknown>,
  to: Record<string, unknown>
): FieldDiff[] => {
  const extra = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter(
    (field) => !fields.includes(field)
  );
  return diffSnapshots([...fields, ...extra], from, to);
};

const parsePinLabel = (body: unknown): string | null => {
  if (body === undefined || body === null) return null;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw unprocessable('The body must be a JSON object', [
      fieldError('label', 'must be inside an object'),
    ]);
  }
  const { label, ...rest } = body as Record<string, unknown>;
  const problems = Object.keys(rest).map((key) =>
    fieldError(key, 'is not allowed; only "label" may be sent')
  );
  if (label !== undefined && label !== null && typeof label !== 'string') {
    problems.push(fieldError('label', 'must be a string'));
  } else if (typeof label === 'string' && !withoutNul(label)) {
    problems.push(fieldError('label', 'must not contain the NUL character (\\u0000)'));
  } else if (typeof label === 'string' && label.trim().length > MAX_PIN_LABEL_LENGTH) {
    problems.push(fieldError('label', `must be at most ${MAX_PIN_LABEL_LENGTH} characters`));
  }
  if (problems.length > 0) throw unprocessable('Invalid pin request', problems);
  return typeof label === 'string' && label.trim() !== '' ? label.trim() : null;
};

/** The published version of `type`, or null before its first publish. */
const liveVersionOf = async (type: VersionedType): Promise<number | null> => {
  if (type.isSettings) return (await getService('cache').get())?.version ?? null;
  return (await getService('versioning').store(type).readLive())?.version ?? null;
};

/** The admin history actions of one type. */
export const adminHistoryController = (type: VersionedType) => {
  const notPublished = type.isSettings
    ? 'Platform settings have not been created yet'
    : `${type.displayName} has not been published yet`;

  return ({ strapi }: { strapi: Core.Strapi }) => {
    /** Settings: in the order of their fields; other types: in their schema's order. */
    const diffOf = (from: Record<string, unknown>, to: Record<string, unknown>): FieldDiff[] =>
      type.isSettings
        ? compareSnapshots(editableFieldNames(strapi), from, to)
        : attributeDiff(from, to);

    const setPinned = async (ctx: Context, pinned: boolean, label: string | null) => {
      const version = parseVersionParam(ctx.params.version);
      const entry = await getService('history').of(type).setPinned(version, pinned, label);
      if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
      void getService('adminEvents').changed('pins');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: entry, meta: {} } satisfies PinVersion.Response;
    };

    return {
      /** `GET …/history/compare?from=&to=`: field-by-field diff, `to` defaulting to the live version. */
      async compare(ctx: Context) {
        const from = parseVersionParam(ctx.query.from);
        let to: number;
        if (ctx.query.to === undefined || ctx.query.to === '') {
          const live = await liveVersionOf(type);
          if (live === null) throw new errors.NotFoundError(notPublished);
          to = live;
        } else {
          to = parseVersionParam(ctx.query.to);
        }
        const [fromEntry, toEntry] = await Promise.all([
          findEntry(type, from),
          findEntry(type, to),
        ]);
        ctx.set('Cache-Control', 'no-store');
        ctx.body = {
          data: { from, to, diff: diffOf(fromEntry.data, toEntry.data) },
          meta: {},
        } satisfies CompareVersions.Response;
      },

      /** `POST …/history/:version/pin` with an optional `{ label }`. */
      async pin(ctx: Context) {
        assertJsonBody(ctx);
        await setPinned(ctx, true, parsePinLabel(ctx.request.body));
      },

      /** `DELETE …/history/:version/pin`. */
      async unpin(ctx: Context) {
        await setPinned(ctx, false, null);
      },
    };
  };
};

export default adminHistoryController(SETTINGS_TYPE);

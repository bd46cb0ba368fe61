/**
 * The history, verify and rollback controllers of a versioned type other than
 * settings. Each type gets controllers of its own (`<key>-history`,
 * `<key>-verify`, `<key>-rollback`), so API tokens and Users & Permissions
 * roles are granted them per type, as any content-API action. The type's
 * admin routes (routes/type-admin.ts) call the same actions, behind the type's
 * admin permissions.
 */
import type { Context } from 'koa';
import { listHistoryQuery } from '../schemas/history';
import { rollbackQuery } from '../schemas/rollback';
import { snapshotEtag } from '../stores/document-store';
import { ifMatchTags } from '../utils/etag';
import { errors } from '../utils/errors';
import { getService } from '../utils/get-service';
import { assertJsonBody, authorOfState } from '../utils/http';
import { requestHashOf } from '../utils/write-response';
import {
  parseIdempotencyKey,
  parseQuery,
  parseRollbackBody,
  parseVersionParam,
} from '../validation/settings';
import type { DocumentState } from '../stores/document-store';
import type { VersionedType } from '../versioned/types';

const setVersionHeaders = (ctx: Context, state: Pick<DocumentState, 'version' | 'data'>) => {
  ctx.set('ETag', snapshotEtag(state));
  ctx.set('X-Version', String(state.version));
};

export const historyController = (type: VersionedType) => () => ({
  async find(ctx: Context) {
    const paging = parseQuery(listHistoryQuery, ctx.query, 'Invalid paging');
    const [{ entries, pagination }, live] = await Promise.all([
      getService('history').of(type).list(paging),
      getService('versioning').store(type).readLive(),
    ]);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: entries, meta: { pagination, liveVersion: live?.version ?? 0 } };
  },

  async findOne(ctx: Context) {
    const version = parseVersionParam(ctx.params.version);
    const entry = await getService('history').of(type).get(version);
    if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: entry, meta: {} };
  },
});

export const verifyController = (type: VersionedType) => () => ({
  async find(ctx: Context) {
    const verify = () => getService('versioning').verify(type);
    let report = await verify();
    // The published document is read beside the walk, not in its snapshot: a version
    // committed in between looks like a mismatch once, never twice.
    if (!report.ok && report.reason === 'live-mismatch') {
      report = await verify();
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: report, meta: {} };
  },
});

export const rollbackController = (type: VersionedType) => () => ({
  /** `POST /api/<type>/rollback/:version`; with `?dryRun=true` only the diff. */
  async create(ctx: Context) {
    const version = parseVersionParam(ctx.params.version);
    const { dryRun } = parseQuery(rollbackQuery, ctx.query, 'Invalid rollback request');
    assertJsonBody(ctx);
    const { note } = parseRollbackBody(ctx.request.body);
    const idempotencyKey = parseIdempotencyKey(ctx.get('idempotency-key'));
    ctx.set('Cache-Control', 'no-store');

    const plan = await getService('typeRollback').plan(type, version);
    const meta = {
      restoredFrom: version,
      skippedFields: plan.skippedFields,
      missingReferences: plan.missing,
    };
    if (dryRun) {
      ctx.body = { data: { diff: plan.diff }, meta: { ...meta, liveVersion: plan.live.version } };
      return;
    }
    const result = await getService('typeRollback').restore(type, plan, {
      author: authorOfState(ctx.state),
      note,
      ifMatch: ifMatchTags(ctx.get('if-match')),
      idempotency: idempotencyKey
        ? { key: idempotencyKey, requestHash: requestHashOf({ rollbackTo: version, note }) }
        : undefined,
    });
    let state: Pick<DocumentState, 'version' | 'data'>;
    if (result.outcome === 'committed') state = result.committed.live;
    else if (result.outcome === 'unchanged') state = result.live ?? plan.live;
    else {
      state = { version: result.entry.version, data: result.entry.data };
      ctx.set('Idempotent-Replayed', 'true');
    }
    setVersionHeaders(ctx, state);
    ctx.body = { data: { version: state.version, ...state.data }, meta };
  },
});

/**
 * The draft of a versioned type other than settings, over REST: read it, publish
 * it as a new version, and read one old version for a preview — the settings'
 * draft routes (drafts.ts) under the type's path. Each is a controller of its
 * own (`<key>-draft`, `<key>-publish`, `<key>-preview`), so API tokens and
 * Users & Permissions roles are granted them per type; the read-only two also
 * take a preview token minted for that type (auth/preview-token-strategy.ts).
 * None of these answers may be cached.
 */
import type { Context } from 'koa';
import { rollbackQuery } from '../schemas/rollback';
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
import { snapshotEtag, type DocumentState } from '../stores/document-store';
import { attributeDiff } from '../stores/snapshot';
import type { VersionedType } from '../versioned/types';

/** The draft (or, when there is none apart from it, what is published) and what publishing it would change. */
const draftView = async (type: VersionedType) => {
  const store = getService('versioning').store(type);
  const [live, draft] = await Promise.all([store.readLive(), store.readDraft()]);
  const current = draft ?? live;
  if (!current) throw new errors.NotFoundError(`${type.displayName} has no draft yet`);
  const liveVersion = live?.version ?? 0;
  const diff = attributeDiff(live?.data ?? {}, current.data);
  return {
    data: { version: liveVersion, ...current.data },
    meta: { status: 'draft' as const, liveVersion, changed: diff.length > 0, diff },
  };
};

export const draftController = (type: VersionedType) => () => ({
  /** `GET /api/<key>/draft`. */
  async find(ctx: Context) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await draftView(type);
  },
});

export const publishController = (type: VersionedType) => () => ({
  /** `POST /api/<key>/publish`: the draft becomes the published version; `?dryRun=true` only the diff. */
  async create(ctx: Context) {
    const { dryRun } = parseQuery(rollbackQuery, ctx.query, 'Invalid publish request');
    assertJsonBody(ctx);
    const { note } = parseRollbackBody(ctx.request.body);
    const idempotencyKey = parseIdempotencyKey(ctx.get('idempotency-key'));
    ctx.set('Cache-Control', 'no-store');

    const view = await draftView(type);
    if (dryRun) {
      ctx.body = { data: { diff: view.meta.diff }, meta: { liveVersion: view.meta.liveVersion } };
      return;
    }
    const result = await getService('versioning').commit(type, {
      write: async (store) => {
        // Read again under the writer lock: the draft may have gone since the view above.
        const draft = await store.readDraft();
        if (!draft) throw new errors.NotFoundError(`${type.displayName} has no draft yet`);
        await store.publish(draft.documentId);
      },
      author: authorOfState(ctx.state),
      note,
      ifMatch: ifMatchTags(ctx.get('if-match')),
      idempotency: idempotencyKey
        ? { key: idempotencyKey, requestHash: requestHashOf({ publishDraft: true, note }) }
        : undefined,
    });

    let state: Pick<DocumentState, 'version' | 'data'>;
    let changedFields: string[];
    if (result.outcome === 'committed') {
      state = result.committed.live;
      changedFields = result.committed.changedFields;
    } else if (result.outcome === 'unchanged') {
      state = result.live;
      changedFields = [];
    } else {
      state = { version: result.entry.version, data: result.entry.data };
      changedFields = result.changed ? result.entry.changedFields : [];
      ctx.set('Idempotent-Replayed', 'true');
    }
    ctx.set('ETag', snapshotEtag(state));
    ctx.set('X-Version', String(state.version));
    ctx.body = {
      data: { version: state.version, ...state.data },
      meta: { changed: changedFields.length > 0, changedFields },
    };
  },
});

export const previewController = (type: VersionedType) => () => ({
  /** `GET /api/<key>/preview/versions/:version`: one version as the site renders it. */
  async findOne(ctx: Context) {
    const version = parseVersionParam(ctx.params.version);
    const entry = await getService('history').of(type).get(version);
    if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: { version: entry.version, ...entry.data },
      meta: { status: 'version' as const, version },
    };
  },
});

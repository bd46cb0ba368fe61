/**
 * The draft over REST: read it (founder key or a preview token), change only
 * the draft (`PUT …?status=draft`, in controllers/settings.ts), publish it, and
 * read one old version for a preview. None of these responses may be cached.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type {
  DraftSettings,
  PreviewVersion,
  PublishDraft,
  UpdateSettings,
} from '../../../shared/contracts/settings';
import { diffSnapshots } from '../utils/diff';
import { errors } from '../utils/errors';
import { ifMatchTags } from '../utils/etag';
import { editableFieldNames } from '../utils/fields';
import { getService } from '../utils/get-service';
import { assertJsonBody, authorOf } from '../utils/http';
import { requestHashOf, writeOutcome } from '../utils/write-response';
import { rollbackQuery } from '../schemas/rollback';
import {
  parseIdempotencyKey,
  parseQuery,
  parseRollbackBody,
  parseVersionParam,
} from '../validation/settings';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** The draft as settings, with what would change if it were published. */
  const draftView = async (): Promise<DraftSettings.Response> => {
    const settings = getService('settings');
    const [live, draft] = await Promise.all([settings.readLiveRow(), settings.readDraftRow()]);
    if (!live) throw new errors.NotFoundError('Platform settings have not been created yet');
    const current = draft ?? live;
    const diff = diffSnapshots(editableFieldNames(strapi), live.data, current.data);
    return {
      data: settings.toSettings({ ...current, version: live.version }),
      meta: { status: 'draft', liveVersion: live.version, changed: diff.length > 0, diff },
    };
  };

  return {
    draftView,

    /** `GET /draft`: the draft and its difference from live (founder key or a draft preview token). */
    async get(ctx: Context) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await draftView();
    },

    /** `POST /publish`: publishes the draft; `?dryRun=true` answers what would change. */
    async publish(ctx: Context) {
      assertJsonBody(ctx);
      const { note } = parseRollbackBody(ctx.request.body);
      const idempotencyKey = parseIdempotencyKey(ctx.get('idempotency-key'));
      ctx.set('Cache-Control', 'no-store');
      const { dryRun } = parseQuery(rollbackQuery, ctx.query, 'Invalid publish request');
      if (dryRun) {
        const view = await draftView();
        ctx.body = {
          data: { diff: view.meta.diff },
          meta: { liveVersion: view.meta.liveVersion },
        } satisfies PublishDraft.DryRunResponse;
        return;
      }
      const result = await getService('settings').publishDraft({
        author: authorOf(ctx),
        note,
        ifMatch: ifMatchTags(ctx.get('if-match')),
        idempotency: idempotencyKey
          ? { key: idempotencyKey, requestHash: requestHashOf({ publishDraft: true, note }) }
          : undefined,
      });
      const { settings, changedFields } = writeOutcome(ctx, result);
      ctx.body = {
        data: settings,
        meta: { changed: changedFields.length > 0, changedFields },
      } satisfies UpdateSettings.Response;
    },

    /** `GET /preview/versions/:version`: one version as the site would render it (a version preview token). */
    async previewVersion(ctx: Context) {
      const version = parseVersionParam(ctx.params.version);
      const entry = await getService('history').get(version);
      if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        data: getService('settings').toSettings({
          version: entry.version,
          updatedAt: entry.createdAt,
          data: entry.data,
        }),
        meta: { status: 'version', version },
      } satisfies PreviewVersion.Response;
    },
  };
};

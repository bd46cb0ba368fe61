import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { UpdateSettings } from '../../../shared/contracts/settings';
import { errors } from '../utils/errors';
import { ifMatchTags, noneMatch } from '../utils/etag';
import { getService } from '../utils/get-service';
import { assertJsonBody, authorOf, PUBLIC_CACHE_CONTROL } from '../utils/http';
import { trustedMinVersion } from '../utils/refresh-proof';
import { requestHashOf, writeOutcome } from '../utils/write-response';
import { updateStatusQuery } from '../schemas/drafts';
import { parseIdempotencyKey, parseQuery, parseUpdateBody } from '../validation/settings';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Public, cacheable read, served from the in-memory representation. */
  async find(ctx: Context) {
    const cache = getService('cache');
    getService('metrics').cacheLookup(cache.peek() ? 'hit' : 'miss');
    let representation = await cache.get();
    // The CMS refreshing a proxy's copy after a change asks for at least that version
    // (cdn-purge.ts); only with a valid proof, or anyone could make each read cost a query.
    const minVersion = trustedMinVersion(
      ctx.get('x-settings-min-version'),
      ctx.get('x-settings-refresh-proof')
    );
    if (representation && minVersion !== null && minVersion > representation.version)
      representation = await cache.refresh();
    if (!representation)
      throw new errors.NotFoundError('Platform settings have not been created yet');
    ctx.set('ETag', representation.etag);
    ctx.set('X-Settings-Version', String(representation.version));
    ctx.set('Cache-Control', PUBLIC_CACHE_CONTROL);
    if (cache.isStale()) ctx.set('X-Settings-Stale', 'true');
    if (noneMatch(ctx.get('if-none-match'), representation.etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json';
    ctx.body = representation.body;
  },

  /**
   * Partial update by the founder key (content API) or an admin (admin API):
   * publishes the fields sent at once; with `?status=draft`, changes only the draft.
   */
  async update(ctx: Context) {
    assertJsonBody(ctx);
    const { data, note } = parseUpdateBody(ctx.request.body);
    const { status } = parseQuery(updateStatusQuery, ctx.query, 'Invalid status');
    if (status === 'draft') {
      await getService('settings').saveDraft(data);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await (
        strapi.plugin('platform-settings').controller('drafts') as unknown as {
          draftView(): Promise<unknown>;
        }
      ).draftView();
      return;
    }
    const idempotencyKey = parseIdempotencyKey(ctx.get('idempotency-key'));
    const result = await getService('settings').update(data, {
      author: authorOf(ctx),
      note,
      ifMatch: ifMatchTags(ctx.get('if-match')),
      idempotency: idempotencyKey
        ? { key: idempotencyKey, requestHash: requestHashOf({ data, note }) }
        : undefined,
    });
    const { settings, changedFields } = writeOutcome(ctx, result);
    ctx.body = {
      data: settings,
      meta: { changed: changedFields.length > 0, changedFields },
    } satisfies UpdateSettings.Response;
  },
});

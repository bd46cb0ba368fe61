import type { Context } from 'koa';
import type { Rollback } from '../../../shared/contracts/settings';
import { ifMatchTags } from '../utils/etag';
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

export default () => ({
  /** `POST …/rollback/:version`; with `?dryRun=true` only the diff is returned. */
  async rollback(ctx: Context) {
    const version = parseVersionParam(ctx.params.version);
    const { dryRun } = parseQuery(rollbackQuery, ctx.query, 'Invalid rollback request');
    assertJsonBody(ctx);
    const { note } = parseRollbackBody(ctx.request.body);
    const idempotencyKey = parseIdempotencyKey(ctx.get('idempotency-key'));
    ctx.set('Cache-Control', 'no-store');

    if (dryRun) {
      const plan = await getService('rollback').plan(version);
      ctx.body = {
        data: { diff: plan.diff },
        meta: {
          restoredFrom: version,
          skippedFields: plan.skippedFields,
          defaultedFields: plan.defaultedFields,
          discardedDraftChanges: plan.discardedDraftChanges,
          liveVersion: plan.liveVersion,
        },
      } satisfies Rollback.DryRunResponse;
      return;
    }

    const { result, plan } = await getService('rollback').execute(version, {
      author: authorOf(ctx),
      note,
      ifMatch: ifMatchTags(ctx.get('if-match')),
      // Bound to the target version: a retry replays the first answer instead of
      // rolling back again over a change someone made in between.
      idempotency: idempotencyKey
        ? { key: idempotencyKey, requestHash: requestHashOf({ rollbackTo: version, note }) }
        : undefined,
    });
    const { settings } = writeOutcome(ctx, result);
    ctx.body = {
      data: settings,
      meta: { restoredFrom: version, skippedFields: plan.skippedFields },
    } satisfies Rollback.Response;
  },
});

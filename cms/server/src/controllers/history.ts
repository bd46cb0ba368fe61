import type { Context } from 'koa';
import type {
  GetHistoryEntry,
  ListHistory,
  VerifyHistory,
} from '../../../shared/contracts/settings';
import { errors } from '../utils/errors';
import { getService } from '../utils/get-service';
import { listHistoryQuery } from '../schemas/history';
import { parseQuery, parseVersionParam } from '../validation/settings';
import { SETTINGS_TYPE } from '../versioned/types';

export default () => ({
  async list(ctx: Context) {
    const paging = parseQuery(listHistoryQuery, ctx.query, 'Invalid paging');
    const [{ entries, pagination }, live] = await Promise.all([
      getService('history').list(paging),
      getService('cache').get(),
    ]);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: entries,
      meta: { pagination, liveVersion: live?.version ?? 0 },
    } satisfies ListHistory.Response;
  },

  async get(ctx: Context) {
    const version = parseVersionParam(ctx.params.version);
    const entry = await getService('history').get(version);
    if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: entry, meta: {} } satisfies GetHistoryEntry.Response;
  },

  async verify(ctx: Context) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: await getService('versioning').verify(SETTINGS_TYPE),
      meta: {},
    } satisfies VerifyHistory.Response;
  },
});

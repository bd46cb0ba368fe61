import type { Context } from 'koa';
import type { GetLiveSettings } from '../../../shared/contracts/settings';
import { errors } from '../utils/errors';
import { getService } from '../utils/get-service';

export default () => ({
  /** `GET /live`: the live settings and who changed them last, for the Content Manager side panel. */
  async live(ctx: Context) {
    const live = await getService('cache').get();
    if (!live) throw new errors.NotFoundError('Platform settings have not been created yet');
    const lastChange = await getService('history').get(live.version);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: { settings: live.settings, lastChange },
      meta: {},
    } satisfies GetLiveSettings.Response;
  },
});

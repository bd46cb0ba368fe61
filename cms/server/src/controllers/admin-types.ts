/**
 * `GET /platform-settings/types` (admin): the versioned types whose history the
 * signed-in admin may read, the settings first, each with the RBAC actions that
 * guard it, so the admin page offers only what the server will allow.
 */
import type { Context } from 'koa';
import type { ListVersionedTypes } from '../../../shared/contracts/settings';
import { historyActionsOf } from '../permissions';
import { errors } from '../utils/errors';
import { getService } from '../utils/get-service';
import { SETTINGS_TYPE } from '../versioned/types';

interface Ability {
  can(action: string, subject?: string): boolean;
}

export default () => ({
  list(ctx: Context) {
    const ability = ctx.state.userAbility as Ability;
    const types = [SETTINGS_TYPE, ...getService('versionedTypes').list()];
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: types
        .map((type) => ({ type, actions: historyActionsOf(type) }))
        .filter(({ actions }) => ability.can(actions.read))
        .map(({ type, actions }) => ({
          key: type.key,
          uid: type.uid,
          displayName: type.displayName,
          publicPath: type.publicPath,
          actions,
        })),
      meta: {},
    } satisfies ListVersionedTypes.Response;
  },

  /** A path under `/types/<key>/` no route has (routes/type-admin.ts). */
  unknown(ctx: Context) {
    const { key } = ctx.params as { key: string };
    const known = key === SETTINGS_TYPE.key || getService('versionedTypes').byKey(key);
    throw new errors.NotFoundError(known ? 'Not Found' : `No versioned type has the key "${key}"`);
  },
});

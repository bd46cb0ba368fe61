/**
 * At `register`, for each type the host app names in the `versioned` config:
 * refuse the start when it cannot be versioned (naming the uid), then add what
 * versioning it needs before Strapi builds the database: a server-managed
 * `version` attribute, the hidden content types of its chain, and its
 * history, verify, rollback, draft, publish, preview and schedules controllers
 * and routes (content API and admin).
 */
import type { Core } from '@strapi/strapi';
import { previewTokenStrategy } from '../auth/preview-token-strategy';
import { adminHistoryController } from '../controllers/admin-history';
import { adminSchedulesController } from '../controllers/admin-schedules';
import { typePreviewTokenController } from '../controllers/admin-preview';
import { draftController, previewController, publishController } from '../controllers/type-drafts';
import {
  historyController,
  rollbackController,
  verifyController,
} from '../controllers/type-routes';
import {
  typeAdminControllerName,
  typeAdminRoutes,
  typeSchedulesControllerName,
  typePreviewTokenControllerName,
  unknownTypeRoutes,
} from '../routes/type-admin';
import { typeRoutesOf } from '../routes/type-routes';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { chainContentTypesFor } from './chain-content-types';
import { typeOptionsOf, type VersionedConfig } from './config';
import { describeType, typeProblem, type TypeSchema } from './types';

/** Shown nowhere in the admin and never writable over REST: only a commit sets it. */
const VERSION_ATTRIBUTE = {
  type: 'integer',
  min: 0,
  default: 0,
  configurable: false,
  writable: false,
  visible: false,
};

export const registerVersionedTypes = (strapi: Core.Strapi) => {
  const configured = (strapi.config.get(`plugin::${PLUGIN_ID}.versioned`) ?? {}) as VersionedConfig;
  const problems = Object.keys(configured).flatMap((uid) => {
    const problem = typeProblem(uid, strapi.contentTypes[uid as never] as TypeSchema | undefined);
    return problem ? [`${uid} ${problem}`] : [];
  });
  if (problems.length > 0) {
    throw new Error(
      `platform-settings: refusing to start: in config versioned: ${problems.join('; ')}`
    );
  }

  const routers = strapi.plugin(PLUGIN_ID).routes as unknown as Record<
    string,
    { routes: unknown[] }
  >;
  const contentApi = routers['content-api'];
  for (const [uid, options] of Object.entries(configured)) {
    const schema = strapi.contentTypes[uid as never] as unknown as TypeSchema & {
      attributes: Record<string, unknown>;
    };
    if ('version' in schema.attributes) {
      throw new Error(
        `platform-settings: refusing to start: ${uid} has its own "version" attribute; the plugin adds and manages it, so remove it from the schema`
      );
    }
    schema.attributes.version = { ...VERSION_ATTRIBUTE };
    const type = describeType(schema, typeOptionsOf(options).cacheSeconds);
    getService('versionedTypes').add(type);

    strapi.get('content-types').add(`plugin::${PLUGIN_ID}`, chainContentTypesFor(type));
    strapi.get('controllers').add(`plugin::${PLUGIN_ID}`, {
      [`${type.key}-history`]: historyController(type),
      [`${type.key}-verify`]: verifyController(type),
      [`${type.key}-rollback`]: rollbackController(type),
      [`${type.key}-draft`]: draftController(type),
      [`${type.key}-publish`]: publishController(type),
      [`${type.key}-preview`]: previewController(type),
      [typeAdminControllerName(type)]: adminHistoryController(type),
      [typeSchedulesControllerName(type)]: adminSchedulesController(type),
      [typePreviewTokenControllerName(type)]: typePreviewTokenController(type),
    });
    strapi.get('auth').register('content-api', previewTokenStrategy(type));
    contentApi.routes.push(...typeRoutesOf(type));
    routers.admin.routes.push(...typeAdminRoutes(type));
  }
  routers.admin.routes.push(...unknownTypeRoutes());
};

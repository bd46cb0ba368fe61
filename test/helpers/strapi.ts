/**
 * Boots the real Strapi app (compiled once by the global setup) on a fresh
 * database (its tables already made: schema-template.ts) and hands back a
 * supertest client bound to its HTTP server, which checks every response
 * against docs/openapi.json (see openapi.ts).
 */
import path from 'node:path';
import supertest from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';
import { APP_ENV, FOUNDER_KEY } from './app-env';
import { captureApp } from './capture';
import { ROOT, type TestDatabase } from './database';
import { createPreparedDatabase } from './schema-template';
import { checkedAgainstDocument, loadDocument } from './openapi';

export { FOUNDER_KEY, SIGNING_KEY } from './app-env';

export interface TestApp {
  strapi: Core.Strapi;
  request: ReturnType<typeof supertest>;
  database: TestDatabase;
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface BootOptions {
  postgres?: boolean;
  mysql?: boolean;
  database?: TestDatabase;
  env?: Record<string, string | undefined>;
}

const setEnv = (env: Record<string, string | undefined>) => {
  const previous: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    previous[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => setEnv(previous);
};

/**
 * A fresh database to boot the app on, its tables already made (schema-template.ts): the
 * bootstraps run on empty tables as on a first start; only the table creation is not paid
 * again. A test that needs a truly empty database (a restore's target) uses createTestDatabase.
 */
export const createAppDatabase = createPreparedDatabase;

export const bootApp = async (options: BootOptions = {}): Promise<TestApp> => {
  const document = await loadDocument();
  const database =
    options.database ??
    (await createAppDatabase({ postgres: options.postgres, mysql: options.mysql }));
  const restoreEnv = setEnv({ ...APP_ENV, ...database.env, ...options.env });
  const strapi = createStrapi({
    appDir: ROOT,
    distDir: path.join(ROOT, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  strapi.log.level = process.env.TEST_LOG_LEVEL ?? 'error';
  captureApp(strapi);
  await strapi.load();
  await strapi.server.mount();
  return {
    strapi,
    request: checkedAgainstDocument(supertest(strapi.server.httpServer), document),
    database,
    async stop({ keepDatabase = false } = {}) {
      await strapi.destroy();
      restoreEnv();
      if (!keepDatabase) await database.drop();
    },
  };
};

export const founderHeaders = { 'X-Founder-Key': FOUNDER_KEY };

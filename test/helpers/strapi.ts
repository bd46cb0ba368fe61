/**
 * Boots the real Strapi app (compiled once by the global setup) on a fresh
 * database and hands back a supertest client bound to its HTTP server, which
 * checks every response against docs/openapi.json (see openapi.ts).
 */
import path from 'node:path';
import supertest from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';
import { captureApp } from './capture';
import { createTestDatabase, ROOT, type TestDatabase } from './database';
import { checkedAgainstDocument, loadDocument } from './openapi';

// The runner passes a fresh random key so the final leak scan can look for it.
export const FOUNDER_KEY =
  process.env.TEST_FOUNDER_KEY ?? 'test-founder-key-0123456789abcdef0123456789abcdef';

/** The history signing key the test apps run with (random per run, scanned for like the founder key). */
export const SIGNING_KEY =
  process.env.TEST_HISTORY_SIGNING_KEY ?? 'test-history-signing-key-0123456789abcdefghijklmnop';

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

export const bootApp = async (options: BootOptions = {}): Promise<TestApp> => {
  const document = await loadDocument();
  const database =
    options.database ??
    (await createTestDatabase({ postgres: options.postgres, mysql: options.mysql }));
  const restoreEnv = setEnv({
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    FOUNDER_KEY,
    HISTORY_SIGNING_KEY: SIGNING_KEY,
    ...database.env,
    ...options.env,
  });
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

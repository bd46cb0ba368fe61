#!/usr/bin/env node
// `npm run openapi`: writes docs/openapi.json, the OpenAPI 3.1 description of the
// platform-settings content API (every path, parameter, header, body and status).
//
// It compiles the plugin and the app, boots the app on a throwaway SQLite
// database (the generator needs a loaded app, and so a database), runs Strapi
// 5.54's own generator (@strapi/openapi, what `strapi openapi generate` runs) on
// the routes, which carry their zod `request` and `response`, and post-processes
// the result with what the generator cannot express: request headers, the
// founder-key scheme, and every status other than 200 with its body and headers,
// all read from the `openapi` extension declared next to each route
// (cms/server/src/routes/docs.ts). scripts/lib/openapi-postprocess.mjs lists each
// step and why.
//
// `--check` (part of `npm run lint`): fails unless regenerating gives a
// byte-identical file and `redocly lint` (rules in redocly.yaml) passes. A check
// that passed is remembered against a hash of everything the document comes from,
// so a later lint on the same sources skips booting Strapi.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postProcess } from './lib/openapi-postprocess.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const OUTPUT = path.join(root, 'docs', 'openapi.json');
const STAMP = path.join(root, 'node_modules', '.cache', 'platform-settings-openapi.json');
const check = process.argv.includes('--check');
const PLUGIN = 'platform-settings';

// What the document is made from; when none of it changed, neither did the document.
const SOURCES = [
  'cms/server/src',
  'cms/shared',
  'cms/package.json',
  'config',
  'src',
  'scripts/openapi.mjs',
  'scripts/lib/openapi-postprocess.mjs',
  'package-lock.json',
  'redocly.yaml',
  'docs/openapi.json',
];

const filesUnder = (entry) => {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .flatMap((child) => filesUnder(path.join(entry, child.name)))
    .sort();
};

const sourcesHash = () => {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder)) {
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
};

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`openapi: "${command} ${args.join(' ')}" failed`);
    process.exit(1);
  }
};

/**
 * The plugin and the app, compiled as the tests compile them. Always: a build that
 * only looks newer than its sources (one that ran while they changed) would be stale.
 */
const compile = () => {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  run('npm', ['run', 'build', '-w', 'cms']);
  run(tsc, ['-p', 'tsconfig.json', '--outDir', 'dist']);
};

/**
 * This plugin's content-API routes as Strapi registered them, with their full paths
 * (each versioned type's history, verify and rollback among them), and each
 * versioned type's public GET: Strapi's own route, which the plugin answers.
 */
const pluginRoutes = (strapi) => [
  ...Object.values(strapi.plugin(PLUGIN).routes)
    .filter((router) => router.type === 'content-api')
    .flatMap((router) =>
      router.routes.map((route) => ({
        ...route,
        path: `${route.config?.prefix ?? router.prefix ?? ''}${route.path}`,
      }))
    ),
  ...strapi
    .plugin(PLUGIN)
    .service('versionedTypes')
    .list()
    .map((type) => strapi.plugin(PLUGIN).service('typeDelivery').documentedRoute(type)),
];

const generateDocument = async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-'));
  // A throwaway database and keys, whatever the developer's .env or shell says.
  Object.assign(process.env, {
    NODE_ENV: 'development',
    STRAPI_TELEMETRY_DISABLED: 'true',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: path.join(tmp, 'data.db'),
    FOUNDER_KEY: randomBytes(32).toString('hex'),
    HISTORY_SIGNING_KEY: randomBytes(32).toString('hex'),
  });
  // The home page's cache seconds are in the document (its Cache-Control): the default.
  for (const name of ['DATABASE_URL', 'PUBLIC_URL', 'HOME_PAGE_CACHE_SECONDS'])
    delete process.env[name];
  const { createStrapi } = require('@strapi/strapi');
  const { generate } = require('@strapi/openapi');
  const strapi = createStrapi({
    appDir: root,
    distDir: path.join(root, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  strapi.log.level = 'error';
  try {
    await strapi.load();
    strapi.server.mount();
    const { document } = generate(strapi, { type: 'content-api' });
    const plugin = JSON.parse(fs.readFileSync(path.join(root, 'cms', 'package.json'), 'utf8'));
    return postProcess(document, pluginRoutes(strapi), {
      title: `${plugin.strapi.displayName} API`,
      version: plugin.version,
      description: `${plugin.description}. Errors use Strapi's body \`{ data: null, error: { status, name, message, details } }\`. See the README's "REST API" section.`,
      license: plugin.license,
      tag: { name: PLUGIN, description: plugin.strapi.description },
      // The generator writes paths without Strapi's `/api` prefix.
      servers: [
        {
          url: '{origin}/api',
          description: 'The content API of a running app',
          variables: {
            origin: {
              default: 'http://localhost:1337',
              description: 'The PUBLIC_URL of the deployment (npm run dev: http://localhost:1337)',
            },
          },
        },
      ],
    });
  } finally {
    await strapi.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
};

const format = async (document) => {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(OUTPUT)) ?? {};
  return prettier.format(JSON.stringify(document), { ...options, parser: 'json' });
};

/** `redocly lint` with redocly.yaml; its report is shown only when it finds something. */
const lintDocument = () => {
  const redocly = path.join(root, 'node_modules', '.bin', 'redocly');
  const args = ['lint', path.relative(root, OUTPUT), '--config', 'redocly.yaml'];
  const result = spawnSync(redocly, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    console.error(`openapi: redocly ${args.join(' ')} found problems`);
    process.exit(1);
  }
  console.log('openapi: redocly lint passed (redocly.yaml)');
};

const main = async () => {
  if (check && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === sourcesHash()) {
    console.log('openapi: docs/openapi.json is current (checked before, nothing changed since)');
    return;
  }
  compile();
  const text = await format(await generateDocument());
  if (!check) {
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, text);
    console.log(`openapi: wrote ${path.relative(root, OUTPUT)}`);
    lintDocument();
    return;
  }
  const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : null;
  if (current !== text) {
    console.error(
      'openapi: docs/openapi.json is not what the routes describe; run `npm run openapi` and commit it'
    );
    process.exit(1);
  }
  lintDocument();
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, sourcesHash());
  console.log('openapi: docs/openapi.json is current and valid');
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);

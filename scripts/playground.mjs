#!/usr/bin/env node
// `npm run playground`: the plugin as a user gets it, in a clean Strapi app. Builds and packs
// the plugin, creates an app with create-strapi-app, installs the tarball, enables the plugin,
// gives it random secrets (in the app's .env, never printed), builds and starts the app, and
// prints the admin URL. Ctrl-C stops it; the app is removed unless --keep or --dir.
//   --dir <path>        make the app there (must not exist yet); kept
//   --keep              keep the temporary app
//   --strapi <version>  the Strapi version to create the app with (default 5.54.0)
//   --no-start          stop after the build (a check that the tarball installs and builds)
//   --develop           `strapi develop` instead of `strapi build` + `strapi start`
//   --port <port>       default: a free one
// See docs/playground.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import vanillaApp from './lib/vanilla-app.cjs';

const { DEFAULT_STRAPI_VERSION, EXAMPLE_TYPE, prepareVanillaApp, startApp, timed } = vanillaApp;

const { values: options } = parseArgs({
  options: {
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    strapi: { type: 'string', default: DEFAULT_STRAPI_VERSION },
    start: { type: 'boolean', default: true },
    develop: { type: 'boolean', default: false },
    port: { type: 'string' },
  },
  allowNegative: true,
});

process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const log = (line) => console.log(line);
const dir = options.dir
  ? path.resolve(options.dir)
  : path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strapi-playground-')), 'app');
if (options.dir && fs.existsSync(dir)) {
  console.error(`${dir} already exists: give a new directory (create-strapi-app makes it)`);
  process.exit(1);
}
const keep = options.keep || Boolean(options.dir);
const cleanUp = () => {
  if (!keep) fs.rmSync(options.dir ? dir : path.dirname(dir), { recursive: true, force: true });
};

const started = Date.now();
let app;
try {
  log(`Playground: Strapi ${options.strapi} in ${dir}`);
  await prepareVanillaApp({ dir, strapiVersion: options.strapi, log, build: !options.develop });
  if (options.start) {
    const port = options.port ? Number(options.port) : undefined;
    const logFile = path.join(dir, 'strapi.log');
    app = await timed(log, options.develop ? 'strapi develop' : 'strapi start', () =>
      startApp(dir, { develop: options.develop, port, logFile })
    );
  }
} catch (error) {
  console.error(error.message);
  cleanUp();
  process.exit(1);
}

log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
if (!app) {
  log(keep ? `The app is in ${dir}.` : 'Built; removing the app (--keep keeps it).');
  cleanUp();
  process.exit(0);
}
log(`
  Admin:     ${app.url}/admin   (create the first administrator there)
  REST API:  ${app.url}/api/platform-settings
  Versioned: ${app.url}/api/${EXAMPLE_TYPE.key}   (generated single type; history, verify and rollback with an API token)
  Founder key (X-Founder-Key) and the other secrets: ${path.join(dir, '.env')}
  Server log: ${path.join(dir, 'strapi.log')}
Ctrl-C stops it${keep ? '' : ' and removes the app (--keep keeps it)'}.`);

const stop = async () => {
  await app.stop();
  cleanUp();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
const { code, signal } = await app.exited;
console.error(`Strapi exited (${code ?? signal}); see ${path.join(dir, 'strapi.log')}`);
process.exit(1);

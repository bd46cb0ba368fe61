// A clean Strapi app with the packed plugin installed, made the way a user would make it:
// the plugin is built and `npm pack`ed, `create-strapi-app` makes the app, npm installs the
// tarball, and the app is configured, built and started with its own `strapi` binary.
// Used by `npm run playground` (scripts/playground.mjs) and the vanilla-app test group
// (test/vanilla/*.vanilla.test.ts). Node built-ins only, plus the launcher.
'use strict';

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./free-port.cjs');
const { ROOT, randomSecret, startStrapi } = require('./launcher.cjs');

const DEFAULT_STRAPI_VERSION = '5.54.0';

/**
 * The environment for npm and Strapi in the app: without what `npm run` or `npm test` set
 * for this repository (its prefix, package and workspace), which would point npm back here.
 */
const appEnvironment = (extra = {}) => {
  const env = { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', ...extra };
  for (const key of Object.keys(env)) {
    if (
      /^npm_(package|lifecycle)_/.test(key) ||
      /^npm_config_(local_prefix|workspaces?|include_workspace_root)$/.test(key) ||
      key === 'npm_command' ||
      key === 'INIT_CWD' ||
      // The app's own .env names its database; a test run's DATABASE_URL must not win over it.
      /^DATABASE_/.test(key)
    )
      delete env[key];
  }
  return env;
};

/**
 * Runs a command; its output is kept and shown only if it fails. Resolves with stdout.
 * `input` is written to its stdin (otherwise it has none).
 */
const run = (command, args, { cwd, env, input, timeoutMs = 15 * 60_000 } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? appEnvironment(),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    // Left open after the input: a prompt that meets the end of its input may fail.
    if (input !== undefined) child.stdin.write(input);
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${code ?? signal}) in ${cwd}:\n${output.slice(-8000)}`
          )
        );
    });
  });

/** Calls `step` and logs its name with the wall time it took. */
const timed = async (log, name, step) => {
  const started = Date.now();
  log(`▸ ${name}…`);
  const result = await step();
  log(`  ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
};

/**
 * Builds the plugin and packs it into `outDir`. The name and file come from `npm pack --json`,
 * so this holds whatever the package is called and however it builds.
 * @returns {Promise<{ tarball: string, name: string, version: string }>}
 */
const packPlugin = async (outDir) => {
  await run('npm', ['run', 'build', '-w', 'cms'], { cwd: ROOT, env: appEnvironment() });
  const stdout = await run('npm', ['pack', '--json', '--pack-destination', outDir], {
    cwd: path.join(ROOT, 'cms'),
  });
  // A lifecycle script may print before the JSON; the JSON is the last top-level array.
  const [packed] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1));
  return {
    tarball: path.join(outDir, packed.filename),
    name: packed.name,
    version: packed.version,
  };
};

/**
 * `create-strapi-app` for `strapiVersion`: TypeScript, npm, no example, git, cloud or start;
 * SQLite, or the PostgreSQL database `database` names ({ host, port, name, user, password }).
 * Dependencies are installed afterwards together with the plugin (one npm install).
 */
const createApp = async (dir, strapiVersion, database) => {
  const creator = ['--yes', `create-strapi-app@${strapiVersion}`];
  const cwd = path.dirname(dir);
  const help = await run('npx', [...creator, '--help'], { cwd });
  const options = [
    '--no-run',
    '--skip-cloud',
    '--use-npm',
    '--ts',
    '--no-example',
    '--no-git-init',
    '--no-install',
    ...(database
      ? [
          ['--dbclient', 'postgres'],
          ['--dbhost', database.host],
          ['--dbport', String(database.port)],
          ['--dbname', database.name],
          ['--dbusername', database.user],
          ['--dbpassword', database.password ?? ''],
        ].flat()
      : ['--skip-db']),
  ];
  // Before --non-interactive (5.26 and older here) a prompt no flag answers (A/B testing)
  // waits for a user: Enter takes each default, as a user pressing it would.
  const interactive = !help.includes('--non-interactive');
  await run('npx', [...creator, dir, ...options, ...(interactive ? [] : ['--non-interactive'])], {
    cwd,
    input: interactive ? '\n\n\n' : undefined,
    timeoutMs: 5 * 60_000,
  });
  if (!fs.existsSync(path.join(dir, 'package.json')))
    throw new Error(`create-strapi-app@${strapiVersion} made no app in ${dir}`);
};

/** The package.json inside a tarball (tar is on every machine npm runs on). */
const tarballManifest = (tarball) =>
  JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));

/**
 * Installs the app's dependencies and the plugin's tarball (copied into the app, so the
 * dependency it records stays valid), from npm's cache where it can.
 * @returns {Promise<{ npmName: string, pluginId: string }>}
 */
const installPlugin = async (dir, tarball) => {
  const file = path.basename(tarball);
  fs.copyFileSync(tarball, path.join(dir, file));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${file}`], {
    cwd: dir,
  });
  const manifest = tarballManifest(tarball);
  // Strapi finds an installed plugin by `strapi.name`, its id; the npm name may differ.
  return { npmName: manifest.name, pluginId: manifest.strapi?.name ?? manifest.name };
};

/**
 * The single type the app versions, made the way a user makes one: Strapi's own generator
 * (`@strapi/generators`, what `strapi generate` runs, from the app's node_modules), then what
 * the generator does not ask and the Content-Type Builder would add: Draft & Publish, a
 * repeatable component and a relation to a small collection type, generated the same way.
 */
const EXAMPLE_TYPE = {
  uid: 'api::landing-page.landing-page',
  key: 'landing-page',
  relation: { name: 'partner', target: 'api::partner.partner' },
  media: 'cover',
  component: { name: 'highlights', uid: 'landing.highlight' },
};

/** The generator's answers (its prompts, answered): a new API each, with its routes. */
const GENERATED_TYPES = [
  {
    displayName: 'Partner',
    singularName: 'partner',
    pluralName: 'partners',
    kind: 'collectionType',
    attributes: [{ attributeName: 'name', attributeType: 'string' }],
  },
  {
    displayName: 'Landing page',
    singularName: 'landing-page',
    pluralName: 'landing-pages',
    kind: 'singleType',
    attributes: [
      { attributeName: 'headline', attributeType: 'string' },
      { attributeName: EXAMPLE_TYPE.media, attributeType: 'media', multiple: false },
    ],
  },
].map((answers) => ({
  ...answers,
  destination: 'new',
  id: answers.singularName,
  bootstrapApi: true,
}));

/** Runs in the app (its own @strapi/generators, as `strapi generate` would): argv[1] = answers. */
const GENERATE_SCRIPT = `
const { generate } = require('@strapi/generators');
(async () => {
  for (const answers of JSON.parse(process.argv[1])) {
    await generate('content-type', answers, { dir: process.cwd() });
  }
})().catch((error) => { console.error(error); process.exit(1); });
`;

const writeJson = (file, value) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};

/**
 * Generates the partner collection type and the landing-page single type, then adds what
 * the Content-Type Builder would: Draft & Publish on both, the `landing.highlight`
 * component (repeatable, in order) and the relation to a partner.
 * @returns {typeof EXAMPLE_TYPE}
 */
const generateExampleTypes = async (dir) => {
  await run(process.execPath, ['-e', GENERATE_SCRIPT, JSON.stringify(GENERATED_TYPES)], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  const schemaFile = (name) =>
    path.join(dir, 'src', 'api', name, 'content-types', name, 'schema.json');
  const edit = (name, change) => {
    const file = schemaFile(name);
    if (!fs.existsSync(file)) throw new Error(`the generator wrote no ${file}`);
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    change(schema);
    writeJson(file, schema);
  };
  edit('partner', (schema) => {
    schema.options = { ...schema.options, draftAndPublish: true };
  });
  edit(EXAMPLE_TYPE.key, (schema) => {
    schema.options = { ...schema.options, draftAndPublish: true };
    schema.attributes[EXAMPLE_TYPE.component.name] = {
      type: 'component',
      repeatable: true,
      component: EXAMPLE_TYPE.component.uid,
    };
    schema.attributes[EXAMPLE_TYPE.relation.name] = {
      type: 'relation',
      relation: 'oneToOne',
      target: EXAMPLE_TYPE.relation.target,
    };
  });
  const [category, name] = EXAMPLE_TYPE.component.uid.split('.');
  writeJson(path.join(dir, 'src', 'components', category, `${name}.json`), {
    collectionName: `components_${category}_${name}s`,
    info: { displayName: 'Highlight', icon: 'star' },
    options: {},
    attributes: {
      title: { type: 'string', required: true },
      text: { type: 'text' },
    },
  });
  return EXAMPLE_TYPE;
};

/** Sets `values` in a dotenv file, replacing a line that sets the same name. */
const setDotenv = (file, values) => {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  for (const [name, value] of Object.entries(values)) {
    const line = `${name}=${value}`;
    const index = lines.findIndex((existing) => existing.startsWith(`${name}=`));
    if (index >= 0) lines[index] = line;
    else lines.splice(lines.at(-1) === '' ? lines.length - 1 : lines.length, 0, line);
  }
  fs.writeFileSync(file, `${lines.join('\n').replace(/\n*$/, '')}\n`, { mode: 0o600 });
};

/** The names and values a dotenv file sets. */
const readDotenv = (file) =>
  Object.fromEntries(
    (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')
      .split('\n')
      .map((line) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line))
      .filter(Boolean)
      .map(([, name, value]) => [name, value.replace(/^"(.*)"$/, '$1')])
  );

/** create-strapi-app's placeholder secrets (.env.example), never valid in production. */
const isPlaceholder = (value) => !value || /tobemodified/i.test(value);

/**
 * What a user does after installing: enable the plugin in config/plugins.ts (with one
 * line, versioning the single types `versioned` names), give it its secrets in .env
 * (random, never printed), and offer French and German in the admin.
 * @returns {{ FOUNDER_KEY: string }} the key the REST API's writes need
 */
const configureApp = (dir, { pluginId }, { versioned = [] } = {}) => {
  const pluginsFile = ['ts', 'js']
    .map((ext) => path.join(dir, 'config', `plugins.${ext}`))
    .find(fs.existsSync);
  const types = versioned.map((uid) => `'${uid}': { cacheSeconds: 30 }`).join(', ');
  const options = types ? `, config: { versioned: { ${types} } }` : '';
  const entry = `  '${pluginId}': { enabled: true${options} },\n`;
  if (!pluginsFile) {
    fs.writeFileSync(
      path.join(dir, 'config', 'plugins.ts'),
      `export default () => ({\n${entry}});\n`
    );
  } else {
    // The generated file returns an object literal (`=> ({ ... })`); the entry goes first in it.
    const source = fs.readFileSync(pluginsFile, 'utf8');
    const opening = source.indexOf('=> ({');
    if (opening < 0) throw new Error(`${pluginsFile} does not return an object literal`);
    const at = opening + '=> ({'.length;
    const rest = source.slice(at).replace(/^\s*\}\)/, '\n})'); // an empty `({})`
    fs.writeFileSync(pluginsFile, `${source.slice(0, at)}\n${entry}${rest.replace(/^\n/, '')}`);
  }

  const dotenv = path.join(dir, '.env');
  const current = readDotenv(dotenv);
  // The plugin refuses a production start without these (PLUGIN_REQUIRED_KEYS in
  // cms/server/src/utils/secret-format.ts).
  const secrets = {
    FOUNDER_KEY: randomSecret(),
    HISTORY_SIGNING_KEY: randomSecret(),
    METRICS_TOKEN: randomSecret(),
  };
  for (const name of [
    'ADMIN_JWT_SECRET',
    'API_TOKEN_SALT',
    'TRANSFER_TOKEN_SALT',
    'JWT_SECRET',
    'ENCRYPTION_KEY',
  ]) {
    if (isPlaceholder(current[name])) secrets[name] = randomSecret();
  }
  if (isPlaceholder(current.APP_KEYS)) secrets.APP_KEYS = `${randomSecret()},${randomSecret()}`;
  setDotenv(dotenv, secrets);

  fs.mkdirSync(path.join(dir, 'src', 'admin'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'src', 'admin', 'app.tsx'),
    [
      "import type { StrapiApp } from '@strapi/strapi/admin';",
      '',
      '// Strapi offers only the languages the app enables; the plugin ships en, fr and de.',
      'export default {',
      "  config: { locales: ['fr', 'de'] },",
      '  bootstrap(_app: StrapiApp) {},',
      '};',
      '',
    ].join('\n')
  );
  return { FOUNDER_KEY: secrets.FOUNDER_KEY };
};

const strapiCommand = (dir, ...args) => [
  path.join(dir, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'),
  ...args,
];

/** `strapi build`: the server's TypeScript and the admin panel, as for production. */
const buildApp = (dir) =>
  run(process.execPath, strapiCommand(dir, 'build'), {
    cwd: dir,
    env: appEnvironment({ NODE_ENV: 'production' }),
  });

/**
 * Starts the built app with `strapi start` (production) or `strapi develop` on `port`
 * (default: a free one) and resolves once it answers /_health.
 */
const startApp = async (dir, { develop = false, port, logFile } = {}) =>
  startStrapi({
    cwd: dir,
    command: strapiCommand(dir, develop ? 'develop' : 'start'),
    port: port ?? (await freePort()),
    env: appEnvironment({ NODE_ENV: develop ? 'development' : 'production' }),
    logFile,
    timeoutMs: develop ? 600_000 : 180_000,
  });

/**
 * Every step up to a built app: pack, create, install, generate the single type to version,
 * configure, build. `dir` must not exist yet (create-strapi-app makes it).
 * @returns {Promise<{ dir: string, npmName: string, pluginId: string, FOUNDER_KEY: string }>}
 */
const prepareVanillaApp = async ({
  dir,
  strapiVersion = DEFAULT_STRAPI_VERSION,
  log = () => {},
  build = true,
  database,
}) => {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-settings-pack-'));
  try {
    const packed = await timed(log, 'build and pack the plugin', () => packPlugin(packDir));
    log(`  ${path.basename(packed.tarball)} (${packed.name}@${packed.version})`);
    await timed(log, `create-strapi-app@${strapiVersion}`, () =>
      createApp(dir, strapiVersion, database)
    );
    const installed = await timed(log, 'npm install (app and tarball)', () =>
      installPlugin(dir, packed.tarball)
    );
    const example = await timed(log, 'strapi generators: a single type and a collection', () =>
      generateExampleTypes(dir)
    );
    const { FOUNDER_KEY } = await timed(log, 'configure (plugins, .env, admin locales)', () =>
      configureApp(dir, installed, { versioned: [example.uid] })
    );
    if (build) await timed(log, 'strapi build', () => buildApp(dir));
    return { dir, ...installed, FOUNDER_KEY };
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }
};

/** An app prepareVanillaApp made earlier (a kept playground), as it returned it. */
const preparedAppIn = (dir) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const npmName = Object.entries(manifest.dependencies).find(([, spec]) =>
    /^file:.*\.tgz$/.test(spec)
  )?.[0];
  if (!npmName) throw new Error(`${dir} has no plugin installed from a tarball`);
  const plugin = JSON.parse(
    fs.readFileSync(path.join(dir, 'node_modules', npmName, 'package.json'), 'utf8')
  );
  const { FOUNDER_KEY } = readDotenv(path.join(dir, '.env'));
  return { dir, npmName, pluginId: plugin.strapi?.name ?? npmName, FOUNDER_KEY };
};

module.exports = {
  DEFAULT_STRAPI_VERSION,
  EXAMPLE_TYPE,
  appEnvironment,
  buildApp,
  configureApp,
  createApp,
  generateExampleTypes,
  installPlugin,
  packPlugin,
  prepareVanillaApp,
  preparedAppIn,
  startApp,
  timed,
};

/**
 * docker-compose.yml, the Dockerfile, the nginx config and .env.example, checked
 * without a Docker engine: Debian's docker-compose validates and resolves the
 * compose file (`config` needs no engine), and the result is compared with what
 * the app actually reads and serves. docker-compose missing is a failure, not a
 * skip (.ci/run installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { ROOT } from '../helpers/database';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|mjs|js|sh)$/.test(entry.name) && !/\.test\./.test(entry.name) ? [relative] : [];
  });

/** Every environment variable the server, its config and the ops scripts read. */
const appEnvNames = () => {
  const names = new Set<string>();
  const files = [
    ...['config', 'src', 'cms/server/src', 'scripts/lib', 'database'].flatMap(sourceFiles),
    'scripts/history-archive.mjs',
    'scripts/history-restore.mjs',
    'scripts/history-export.mjs',
    'scripts/history-verify.mjs',
    'scripts/history-resign.mjs',
  ];
  for (const file of files) {
    const text = read(file);
    const patterns = file.endsWith('.sh')
      ? [/\$\{([A-Z][A-Z0-9_]*)[:}-]/g]
      : [
          /\benv(?:\.\w+)?\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g, // Strapi's env('X'), env.int('X')
          /process\.env\.([A-Z][A-Z0-9_]*)/g,
          /\benv\.([A-Z][A-Z0-9_]*)/g, // a passed-in env object
        ];
    for (const pattern of patterns) {
      for (const [, name] of text.matchAll(pattern)) names.add(name);
    }
  }
  return names;
};

/** Names .env.example documents, set or commented out. */
const documentedNames = () =>
  new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name));

const composeText = read('docker-compose.yml');
const requiredComposeNames = [...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map(
  ([, name]) => name
);

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: (string | { target: number; published: number | string })[];
  volumes?: (string | { source: string; target: string; type: string })[];
  healthcheck?: { test: string[] | string };
}

let resolved: { services: Record<string, Service>; volumes: Record<string, unknown> };
let envFile: string;

beforeAll(() => {
  const which = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) {
    throw new Error(
      'docker-compose is not installed; it validates docker-compose.yml without a Docker engine. Install it: apt-get install -y docker-compose'
    );
  }
  // .env as a newcomer would write it: the template, plus the REQUIRED values.
  const filled = requiredComposeNames.map((name) => `${name}=value-for-${name.toLowerCase()}`);
  envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-compose-')), '.env');
  fs.writeFileSync(envFile, `${read('.env.example')}\n${filled.join('\n')}\n`);
  const compose = (...args: string[]) =>
    execFileSync('docker-compose', ['--env-file', envFile, '-f', 'docker-compose.yml', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  compose('config', '-q');
  resolved = yaml.load(compose('config')) as typeof resolved;
});
afterAll(() => fs.rmSync(path.dirname(envFile), { recursive: true, force: true }));

const portsOf = (service: Service) =>
  (service.ports ?? []).map((port) =>
    typeof port === 'string'
      ? { published: port.split(':')[0], target: Number(port.split(':')[1].split('/')[0]) }
      : { published: String(port.published), target: port.target }
  );

describe('docker-compose.yml', () => {
  it('is valid, and refuses to start without the required secrets', () => {
    expect(Object.keys(resolved.services).sort()).toEqual(['cms', 'db', 'web']);
    expect(requiredComposeNames).toEqual(
      expect.arrayContaining(['POSTGRES_PASSWORD', 'FOUNDER_KEY', 'APP_KEYS'])
    );
    const empty = path.join(path.dirname(envFile), 'empty.env');
    fs.writeFileSync(empty, '');
    const bare = spawnSync(
      'docker-compose',
      ['--env-file', empty, '-f', 'docker-compose.yml', 'config', '-q'],
      { cwd: ROOT, encoding: 'utf8' }
    );
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/set [A-Z_]+ in \.env/);
  });

  it('runs PostgreSQL 15 on a named volume, with a health check', () => {
    const db = resolved.services.db;
    expect(db.image).toMatch(/^postgres:15(\b|-)/);
    const data = (db.volumes ?? []).map((v) =>
      typeof v === 'string' ? v.replace(/:rw$/, '') : `${v.source}:${v.target}`
    );
    expect(data).toContain('pgdata:/var/lib/postgresql/data');
    expect(Object.keys(resolved.volumes)).toContain('pgdata');
    expect(JSON.stringify(db.healthcheck?.test)).toContain('pg_isready');
  });

  it('starts the CMS from the production build once the database is healthy', () => {
    const cms = resolved.services.cms;
    expect(cms.build).toMatchObject({ dockerfile: 'deploy/Dockerfile', target: 'cms' });
    expect(cms.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    const env = cms.environment ?? {};
    expect(env).toMatchObject({ NODE_ENV: 'production', DATABASE_CLIENT: 'postgres' });
    expect(String(env.PORT)).toBe('1337');
    const url = new URL(env.DATABASE_URL);
    expect(url.hostname).toBe('db');
    expect(url.pathname).toBe(`/${resolved.services.db.environment?.POSTGRES_DB}`);
    expect(decodeURIComponent(url.password)).toBe(
      resolved.services.db.environment?.POSTGRES_PASSWORD
    );
    // The port the app listens on (config/server.ts) is the one published.
    expect(read('config/server.ts')).toContain("env.int('PORT', 1337)");
    expect(portsOf(cms).map((p) => p.target)).toEqual([1337]);
    // Its health check is the readiness route.
    expect(JSON.stringify(cms.healthcheck?.test)).toContain('/api/platform-settings/health');
    expect(read('cms/server/src/routes/ops.ts')).toContain("path: '/platform-settings/health'");
  });

  it('passes the CMS only variables the app reads, and every secret it needs', () => {
    const read = appEnvNames();
    const given = Object.keys(resolved.services.cms.environment ?? {});
    expect(given.filter((name) => !read.has(name))).toEqual([]);
    // Every secret the CMS refuses to start without in production (src/startup/check-environment.ts).
    for (const secret of [
      'FOUNDER_KEY',
      'HISTORY_SIGNING_KEY',
      'APP_KEYS',
      'ADMIN_JWT_SECRET',
      'API_TOKEN_SALT',
      'TRANSFER_TOKEN_SALT',
      'ENCRYPTION_KEY',
      'JWT_SECRET',
      'METRICS_TOKEN',
    ]) {
      expect(given).toContain(secret);
      expect(requiredComposeNames).toContain(secret);
    }
  });

  it('keeps /metrics off the public port: the published CMS needs METRICS_TOKEN for it', () => {
    const cms = resolved.services.cms;
    expect(cms.environment?.NODE_ENV).toBe('production');
    // Required: compose refuses to start without it, and the value reaches the CMS.
    expect(requiredComposeNames).toContain('METRICS_TOKEN');
    expect(cms.environment?.METRICS_TOKEN).toBe('value-for-metrics_token');
    // The CMS answers /metrics only with the bearer token when one is set.
    expect(read('cms/server/src/controllers/ops.ts')).toMatch(/process\.env\.METRICS_TOKEN/);
  });

  it('builds the web app with its API URL and serves it with nginx on port 80', () => {
    const web = resolved.services.web;
    expect(web.build).toMatchObject({ dockerfile: 'deploy/Dockerfile', target: 'web' });
    expect(Object.keys(web.build?.args ?? {})).toEqual(['VITE_API_URL']);
    expect(read('web/src/config/buildEnv.ts')).toContain('import.meta.env.VITE_API_URL');
    expect(portsOf(web).map((p) => p.target)).toEqual([80]);
    expect(read('deploy/nginx/web.conf')).toMatch(/listen 80;/);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');

  it('has the targets compose builds, and ships the nginx config', () => {
    expect(dockerfile).toMatch(/^FROM \S+ AS cms$/m);
    expect(dockerfile).toMatch(/^FROM nginx:\S+ AS web$/m);
    expect(dockerfile).toContain('COPY deploy/nginx/web.conf /etc/nginx/conf.d/default.conf');
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/CMD \["npm", "start"\]/);
  });

  it('keeps secrets and local data out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['.env', '**/node_modules', 'backups', 'archives'])
    );
  });
});

describe('deploy/nginx/web.conf', () => {
  const conf = read('deploy/nginx/web.conf');
  const block = (location: string) => {
    const start = conf.indexOf(`location ${location} {`);
    expect(start).toBeGreaterThan(-1);
    return conf.slice(start, conf.indexOf('}', start));
  };

  it('caches hashed assets for a year and revalidates index.html', () => {
    expect(block('/assets/')).toContain(
      'add_header Cache-Control "public, max-age=31536000, immutable" always;'
    );
    expect(block('= /index.html')).toContain('add_header Cache-Control "no-cache" always;');
    expect(block('/')).toContain('add_header Cache-Control "no-cache" always;');
    expect(block('/')).toContain('try_files $uri $uri/ /index.html;');
  });

  it('matches where Vite puts the hashed files', () => {
    // Vite writes hashed files to `assets/` unless build.assetsDir says otherwise.
    expect(read('web/vite.config.ts')).not.toMatch(/assetsDir/);
  });
});

describe('.env.example', () => {
  it('documents every variable the app and the ops scripts read', () => {
    const documented = documentedNames();
    const missing = [...appEnvNames()].filter(
      (name) => !documented.has(name) && name !== 'NODE_ENV'
    );
    expect(missing).toEqual([]);
  });

  it('documents every variable docker-compose.yml uses', () => {
    const documented = documentedNames();
    const used = [...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map(([, name]) => name);
    expect([...new Set(used)].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('sets no secret, so a copied template cannot reach production as is', () => {
    const set = new Map(
      [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, k, v]) => [k, v])
    );
    for (const name of requiredComposeNames) expect(set.get(name) ?? '').toBe('');
  });
});

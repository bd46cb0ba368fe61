#!/usr/bin/env node
// Runs before `npm run dev`, `npm test`, `npm run build` and `npm run lint`: installs
// the dependencies when node_modules is missing or older than the lock file, and
// builds the plugin (`npm run build -w cms`) when its build is missing or stale.
// `--build-only` skips the install check (the test runs' global setup). Node
// built-ins only, because it runs before anything is installed.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = path.join(root, 'node_modules', '.install-stamp');
process.env.STRAPI_TELEMETRY_DISABLED = 'true';

const run = (command, args) => {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`"${command} ${args.join(' ')}" failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
};

// What decides node_modules: the lock file and the dependency fields of each
// manifest (a new npm script must not cost a reinstall).
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'overrides',
  'workspaces',
];

const manifestHash = () => {
  const hash = createHash('sha256');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  for (const file of ['package.json', 'cms/package.json', 'web/package.json']) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) continue;
    const manifest = JSON.parse(fs.readFileSync(full, 'utf8'));
    hash.update(file).update(JSON.stringify(DEPENDENCY_FIELDS.map((field) => manifest[field])));
  }
  return hash.digest('hex');
};

const newestMtime = (dir) => {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
};

const wanted = manifestHash();
const installed = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
if (!process.argv.includes('--build-only') && installed !== wanted) {
  console.log('Installing dependencies (first run or package files changed)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(stampFile, `${wanted}\n`);
}

// The plugin's build (cms/dist, by @strapi/sdk-plugin): every file its package.json
// `exports` names must be there and newer than the sources and the manifest (its
// dependencies decide what the bundles leave out). Without sources (the Docker image's
// dependency layer) there is nothing to build yet.
const pluginDir = path.join(root, 'cms');
const pluginManifest = path.join(pluginDir, 'package.json');
const exportedFiles = fs.existsSync(pluginManifest)
  ? Object.values(JSON.parse(fs.readFileSync(pluginManifest, 'utf8')).exports ?? {})
      .flatMap((target) => (typeof target === 'string' ? [] : Object.entries(target)))
      .filter(([condition]) => condition !== 'source')
      .map(([, file]) => path.join(pluginDir, file))
  : [];
const pluginBuiltAt = Math.min(
  ...exportedFiles.map((file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0))
);
const pluginSourcesAt = Math.max(
  ...['server/src', 'admin/src', 'shared'].map((dir) => newestMtime(path.join(pluginDir, dir)))
);
if (
  exportedFiles.length > 0 &&
  pluginSourcesAt > 0 &&
  pluginBuiltAt < Math.max(pluginSourcesAt, fs.statSync(pluginManifest).mtimeMs)
) {
  console.log('Building the platform-settings plugin…');
  run('npm', ['run', 'build', '-w', 'cms']);
}

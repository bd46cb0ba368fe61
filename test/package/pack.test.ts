/**
 * The plugin's npm package as `npm pack` would publish it (a dry run: no tarball is
 * written, nothing boots): every path its `exports`, `typesVersions` and `files`
 * promise is in it, and nothing else is. The sources that the `source` conditions name
 * are shipped (the SDK requires those conditions, and a map that names absent files
 * would break any tool resolving them), so shipped sources must be reachable from one
 * of those entries through their imports: a stray module, a test or a config file
 * fails here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PLUGIN_DIR = path.resolve(__dirname, '..', '..', 'cms');

interface Manifest {
  name: string;
  version: string;
  strapi?: { kind?: string; name?: string; displayName?: string };
  exports: Record<string, string | Record<string, string>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  files: string[];
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}

interface PackResult {
  name: string;
  files: { path: string }[];
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(PLUGIN_DIR, 'package.json'), 'utf8')
) as Manifest;

/** What `npm pack` would put in the tarball, as paths relative to the package root. */
const packedFiles = (): Set<string> => {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PLUGIN_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [result] = JSON.parse(output) as PackResult[];
  return new Set(result.files.map((file) => file.path));
};

const packed = packedFiles();
const withoutDotSlash = (file: string) => path.posix.normalize(file).replace(/^\.\//, '');

/** Every condition of every export, as [export, condition, path]. */
const exportTargets = Object.entries(manifest.exports).flatMap(([key, target]) =>
  typeof target === 'string'
    ? [[key, 'default', target] as const]
    : Object.entries(target).map(([condition, file]) => [key, condition, file] as const)
);

// Relative imports, re-exports and dynamic imports (a template literal stands for
// every file of its folder with its extension, e.g. translations/${locale}.json).
const IMPORT_PATTERN =
  /(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"`]([^'"`]+)['"`]\s*\)/g;
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.json', '/index.ts', '/index.tsx'];

const resolveImport = (from: string, specifier: string): string[] => {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  if (specifier.includes('${')) {
    const folder = path.posix.dirname(base);
    const extension = path.posix.extname(base);
    return [...packed].filter(
      (file) => path.posix.dirname(file) === folder && file.endsWith(extension)
    );
  }
  const candidates = [base, ...SOURCE_EXTENSIONS.map((extension) => base + extension)];
  const found = candidates.find((candidate) => packed.has(candidate));
  return found ? [found] : [];
};

/** The shipped sources reachable from the `source` entries through relative imports. */
const reachableSources = (): Set<string> => {
  const seen = new Set<string>();
  const queue = exportTargets
    .filter(([, condition]) => condition === 'source')
    .map(([, , file]) => withoutDotSlash(file));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.tsx?$/.test(file)) continue;
    const text = fs.readFileSync(path.join(PLUGIN_DIR, file), 'utf8');
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('.')) queue.push(...resolveImport(file, specifier));
    }
  }
  return seen;
};

describe('the npm package of the plugin', () => {
  it('is named for the Marketplace and keeps the plugin id', () => {
    expect(manifest.name).toBe('strapi-plugin-platform-settings');
    expect(manifest.strapi).toMatchObject({ kind: 'plugin', name: 'platform-settings' });
    expect(manifest.strapi?.displayName).toBeTruthy();
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.engines?.node).toBeTruthy();
  });

  it('leaves Strapi, React and the design system to the host app', () => {
    for (const peer of [
      '@strapi/strapi',
      '@strapi/utils',
      '@strapi/design-system',
      '@strapi/icons',
      'react',
      'react-dom',
      'react-router-dom',
      'styled-components',
    ]) {
      expect(manifest.peerDependencies).toHaveProperty([peer]);
    }
    expect(manifest.peerDependencies?.['@strapi/strapi']).toMatch(/^\^5\.\d+\.\d+$/);
  });

  it('holds every path that exports names, in every condition', () => {
    expect(exportTargets.length).toBeGreaterThan(0);
    const missing = exportTargets
      .filter(([, , file]) => !packed.has(withoutDotSlash(file)))
      .map(([key, condition, file]) => `${key} ${condition}: ${file}`);
    expect(missing).toEqual([]);
  });

  it('holds every declaration that typesVersions names', () => {
    const targets = Object.values(manifest.typesVersions ?? {}).flatMap((map) =>
      Object.values(map).flat()
    );
    expect(targets.filter((file) => !packed.has(withoutDotSlash(file)))).toEqual([]);
  });

  it('holds something for every entry of files', () => {
    const empty = manifest.files
      .filter((entry) => !entry.startsWith('!'))
      .map(withoutDotSlash)
      .filter(
        (entry) => ![...packed].some((file) => file === entry || file.startsWith(`${entry}/`))
      );
    expect(empty).toEqual([]);
  });

  it('holds no tests, test helpers or build and test configuration', () => {
    const unwanted = [...packed].filter(
      (file) =>
        /\.(test|spec)\.[cm]?[jt]sx?$/.test(file) ||
        /(^|\/)(__tests__|test|tests)\//.test(file) ||
        /(^|\/)(tsconfig[^/]*|jest\.config[^/]*|\.[^/]+)$/.test(file) ||
        /\.typecheck\.ts$/.test(file)
    );
    expect(unwanted).toEqual([]);
  });

  it('holds no stray sources: each is reachable from an export source', () => {
    const reachable = reachableSources();
    const stray = [...packed].filter(
      (file) =>
        !file.startsWith('dist/') &&
        !/^(package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md)$/.test(file) &&
        !reachable.has(file)
    );
    expect(stray).toEqual([]);
  });
});

/**
 * A throwaway copy of the compiled host app, for tests that start Strapi as a
 * real process (`strapi start`) with a different plugin layout or environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from './database';

export interface AppCopy {
  dir: string;
  remove(): void;
}

export const copyApp = ({ withPluginBuild }: { withPluginBuild: boolean }): AppCopy => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-app-'));
  for (const file of ['package.json', 'tsconfig.json'])
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'public', 'uploads'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  if (withPluginBuild) {
    fs.symlinkSync(path.join(ROOT, 'cms'), path.join(dir, 'cms'));
  } else {
    // The plugin's package is there, its server build is not.
    fs.mkdirSync(path.join(dir, 'cms'));
    fs.copyFileSync(path.join(ROOT, 'cms', 'package.json'), path.join(dir, 'cms', 'package.json'));
    fs.copyFileSync(
      path.join(ROOT, 'cms', 'strapi-server.js'),
      path.join(dir, 'cms', 'strapi-server.js')
    );
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
};

export interface ProcessResult {
  code: number | null;
  output: string;
}

/** Runs `strapi start` in `dir` and waits for it to exit (or kills it after `timeoutMs`). */
export const runStrapiStart = (dir: string, env: Record<string, string>, timeoutMs = 60_000) =>
  new Promise<ProcessResult>((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'],
      {
        cwd: dir,
        env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', ...env },
      }
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

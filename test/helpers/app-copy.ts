/**
 * A throwaway copy of the compiled host app, for tests that start Strapi as a
 * real process (`strapi start`) with a different plugin layout or environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { appendCapture } from './capture';
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

const strapiBin = () => path.join(ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');

export interface RunningApp {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `strapi start` in `dir` on `port` and resolves once it answers its health check. */
export const startStrapi = async (
  dir: string,
  port: number,
  env: Record<string, string>,
  timeoutMs = 90_000
): Promise<RunningApp> => {
  const child = spawn(process.execPath, [strapiBin(), 'start'], {
    cwd: dir,
    env: {
      ...process.env,
      STRAPI_TELEMETRY_DISABLED: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`strapi exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`strapi did not become healthy in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      appendCapture('processes', output);
    },
  };
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
      appendCapture('processes', output);
      resolve({ code, output });
    });
  });

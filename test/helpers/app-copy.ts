/**
 * A throwaway copy of the compiled host app, for tests that start Strapi as a
 * real process (`strapi start`) with a different plugin layout or environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  runStrapiUntilExit,
  startStrapi as startStrapi_,
  type RunningStrapi,
} from '../../scripts/lib/launcher.cjs';
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
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
};

/** Starts the copy (or any app directory) through the one launcher, captured for the key-leak scan. */
export const startStrapi = async (
  dir: string,
  env: Record<string, string>,
  port?: number
): Promise<RunningStrapi> => {
  const running = await startStrapi_({ cwd: dir, env, port, serveAdmin: false });
  const stop = running.stop;
  return {
    ...running,
    async stop(options) {
      const exit = await stop(options);
      appendCapture('processes', running.output());
      return exit;
    },
  };
};

export interface ProcessResult {
  code: number | null;
  output: string;
}

/** Runs the app in `dir` and waits for it to exit on its own (a refusal to start). */
export const runStrapiStart = async (
  dir: string,
  env: Record<string, string>,
  timeoutMs = 60_000
): Promise<ProcessResult> => {
  const result = await runStrapiUntilExit({ cwd: dir, env, timeoutMs });
  appendCapture('processes', result.output);
  return result;
};

import type { RunningStrapi } from './launcher.cjs';

export interface StackInstance {
  name: string;
  port: number;
  url: string;
  logFile: string;
  running: RunningStrapi | null;
  start(): Promise<StackInstance>;
  stop(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<unknown>;
}

export interface Stack {
  url: string;
  env: Record<string, string>;
  instances: StackInstance[];
  nginx: { url: string; accessLog: string; stop(): Promise<void> };
  stop(): Promise<void>;
}

export const INSTALL_HINT: string;
export function missingTools(): string | null;
export function startStack(options: {
  dir: string;
  databaseUrl: string;
  instances?: number;
  host?: string;
  port?: number;
  corsOrigins?: string[];
  env?: Record<string, string>;
  serveAdmin?: boolean;
  webRoot?: string;
}): Promise<Stack>;

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

export interface RunningNginx {
  url: string;
  accessLog: string;
  stop(): Promise<void>;
}

export interface Stack {
  url: string;
  env: Record<string, string>;
  instances: StackInstance[];
  nginx: RunningNginx;
  stop(): Promise<void>;
}

export const INSTALL_HINT: string;
export function missingTools(): string | null;
export function startNginx(options: {
  prefix: string;
  host: string;
  port: number;
  webRoot: string;
  upstreamPorts: number[];
  origins: string[];
}): Promise<RunningNginx>;
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

import type { ChildProcess } from 'node:child_process';

export interface LaunchOptions {
  /** The compiled app's directory (default: the repository root). */
  cwd?: string;
  env?: Record<string, string | undefined>;
  port?: number;
  host?: string;
  /** false: start without the admin panel (no `strapi build` needed). */
  serveAdmin?: boolean;
  /** Append stdout and stderr to this file instead of keeping them in memory. */
  logFile?: string;
  healthPath?: string;
  timeoutMs?: number;
  nodeArgs?: string[];
  /** A node script and its arguments to run instead of strapi-server.cjs. */
  command?: string[];
}

export interface RunningStrapi {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(options?: {
    signal?: NodeJS.Signals;
    graceMs?: number;
  }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ProductionSecrets {
  APP_KEYS: string;
  ADMIN_JWT_SECRET: string;
  API_TOKEN_SALT: string;
  TRANSFER_TOKEN_SALT: string;
  ENCRYPTION_KEY: string;
  JWT_SECRET: string;
  METRICS_TOKEN: string;
  FOUNDER_KEY: string;
  HISTORY_SIGNING_KEY: string;
}

export const ROOT: string;
export function randomSecret(): string;
export function productionSecrets(): ProductionSecrets;
export function startStrapi(options?: LaunchOptions): Promise<RunningStrapi>;
export function runStrapiUntilExit(options?: {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}): Promise<{ code: number | null; output: string }>;

import type { RunningStrapi } from './launcher.cjs';

export const DEFAULT_STRAPI_VERSION: string;

/** The single type prepareVanillaApp generates and versions, and the fields that hold references. */
export const EXAMPLE_TYPE: {
  uid: string;
  /** Its singular name: the path under /api. */
  key: string;
  relation: { name: string; target: string };
  media: string;
  component: { name: string; uid: string };
};

export interface PreparedApp {
  dir: string;
  /** The plugin's npm name, read from its tarball. */
  npmName: string;
  /** Its Strapi id (`strapi.name`), the key in config/plugins. */
  pluginId: string;
  /** The key the app's founder-key routes accept (also in its .env). */
  FOUNDER_KEY: string;
}

export function appEnvironment(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function packPlugin(
  outDir: string
): Promise<{ tarball: string; name: string; version: string }>;
export function createApp(dir: string, strapiVersion: string): Promise<void>;
export function installPlugin(
  dir: string,
  tarball: string
): Promise<{ npmName: string; pluginId: string }>;
export function generateExampleTypes(dir: string): Promise<typeof EXAMPLE_TYPE>;
export function configureApp(
  dir: string,
  plugin: { pluginId: string },
  options?: { versioned?: string[] }
): { FOUNDER_KEY: string };
export function buildApp(dir: string): Promise<string>;
export function startApp(
  dir: string,
  options?: { develop?: boolean; port?: number; logFile?: string }
): Promise<RunningStrapi>;
/** A PostgreSQL database for the app (create-strapi-app's --db* options); SQLite without one. */
export interface VanillaDatabase {
  host: string;
  port: number;
  name: string;
  user: string;
  password?: string;
}
export function prepareVanillaApp(options: {
  dir: string;
  strapiVersion?: string;
  log?: (line: string) => void;
  build?: boolean;
  database?: VanillaDatabase;
}): Promise<PreparedApp>;
export function preparedAppIn(dir: string): PreparedApp;
export function timed<T>(
  log: (line: string) => void,
  name: string,
  step: () => T | Promise<T>
): Promise<T>;

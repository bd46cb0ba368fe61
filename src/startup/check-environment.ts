/**
 * The host app's start-up check of its environment: every problem found, in one
 * report, before anything else runs.
 *
 * In production (NODE_ENV=production) Strapi's secrets, the plugin's keys and
 * METRICS_TOKEN must be set, and a value equal to its development default (see
 * development-secrets.ts) counts as not set; each must be at least 32 random
 * bytes as hex or base64url. Everywhere, a secret that is set must be visible
 * ASCII without surrounding whitespace, and every numeric variable must be in
 * its range. Development therefore starts with nothing set.
 */
import {
  pluginKeyProblems,
  secretProblem,
  SECRET_ADVICE,
} from '../../cms/server/src/utils/secret-format';
import { DEVELOPMENT_SECRETS, STRAPI_SECRET_NAMES } from './development-secrets';
import { numericProblems } from './numeric-settings';

/** APP_KEYS entries as Strapi's env.array() reads them (spaces around each one dropped). */
const appKeysOf = (value: string) =>
  value
    .replace(/^\[(.*)\]$/s, '$1')
    .split(',')
    .map((key) => key.replace(/^ +| +$/g, ''));

const strapiSecretProblems = (env: NodeJS.ProcessEnv): string[] => {
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  for (const name of STRAPI_SECRET_NAMES) {
    const value = env[name];
    const defaults: string[] = ([] as string[]).concat(DEVELOPMENT_SECRETS[name]);
    if (!value) {
      if (production) problems.push(`${name} is not set`);
      continue;
    }
    const entries = name === 'APP_KEYS' ? appKeysOf(value) : [value];
    if (production && entries.some((entry) => defaults.includes(entry))) {
      problems.push(`${name} is not set (it holds the public development default)`);
      continue;
    }
    entries.forEach((entry, index) => {
      const label = entries.length > 1 ? `${name} (key ${index + 1})` : name;
      const problem = secretProblem(label, entry, { production });
      if (problem) problems.push(problem);
    });
  }
  return problems;
};

/** Every problem with the environment, one message each; empty when the app may start. */
export const environmentProblems = (env: NodeJS.ProcessEnv): string[] => [
  ...strapiSecretProblems(env),
  ...pluginKeyProblems(env),
  ...numericProblems(env),
];

/** The report printed when the app refuses to start; it names variables, never their values. */
export const refusalMessage = (problems: string[], env: NodeJS.ProcessEnv) =>
  [
    `Refusing to start: the environment has ${problems.length} problem${problems.length === 1 ? '' : 's'} (NODE_ENV=${env.NODE_ENV || 'development'}):`,
    ...problems.map((problem) => `  - ${problem}`),
    `To make a secret, ${SECRET_ADVICE} (README, Configuration).`,
    '',
  ].join('\n');

/** Prints every problem and exits, or returns when there is none. */
export const refuseToStartOnBadEnvironment = (env: NodeJS.ProcessEnv = process.env) => {
  const problems = environmentProblems(env);
  if (problems.length === 0) return;
  process.stderr.write(refusalMessage(problems, env));
  process.exit(1);
};

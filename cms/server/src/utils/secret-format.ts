/**
 * What a secret from the environment must look like. Pure (no Strapi, no
 * process.env), so the plugin's start-up check and the host app's share it.
 *
 * Everywhere: no surrounding whitespace and nothing but visible ASCII, because a
 * key pasted with a trailing newline or a non-breaking space differs from the one
 * every other tool holds, and the difference cannot be seen.
 *
 * In production: at least 32 random bytes, written as hex (64 digits or more) or
 * base64url (43 characters or more). The check is by format and length: an
 * estimate of strength from the characters lets `abcdefghijklmnopqrstuvwxyz012345`
 * through. The messages name the variable, never its value.
 */
export const MIN_SECRET_BYTES = 32;

/** How to make a key, for the messages. */
export const SECRET_ADVICE =
  "generate one with `openssl rand -hex 32` or `node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"`";

const HEX = /^[0-9a-fA-F]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const VISIBLE_ASCII = /^[\x21-\x7e]*$/;
/** Random keys of this length use many characters; fewer means a pattern, not randomness. */
const MIN_DISTINCT_CHARACTERS = 8;

/** Surrounding whitespace or an invisible or non-ASCII character, in any environment. */
export const secretCharactersProblem = (name: string, value: string): string | null => {
  if (value !== value.trim()) {
    return `${name} has whitespace around it (a pasted newline or space?); remove it`;
  }
  if (!VISIBLE_ASCII.test(value)) {
    return `${name} contains a character that is not visible ASCII (a space, a control character or a non-ASCII letter); use only hex or base64url characters`;
  }
  return null;
};

/** Bytes a hex or base64url text holds, or null when it is neither. */
export const decodedSecretBytes = (value: string): number | null => {
  // Hex digits are base64url characters too: all-hex text is read as hex, so 44 hex
  // digits (22 bytes) do not pass as 33 bytes of base64url.
  if (HEX.test(value)) return Math.floor(value.length / 2);
  if (!BASE64URL.test(value)) return null;
  return Math.floor((value.replace(/=+$/, '').length * 6) / 8);
};

/** Why `value` is not at least 32 random bytes in hex or base64url (characters first), or null. */
export const secretFormatProblem = (name: string, value: string): string | null => {
  const characters = secretCharactersProblem(name, value);
  if (characters) return characters;
  const bytes = decodedSecretBytes(value);
  if (bytes === null && STANDARD_BASE64.test(value)) {
    return `${name} is standard base64; write it as hex or base64url (with - and _ instead of + and /)`;
  }
  if (bytes === null) {
    return `${name} must be at least ${MIN_SECRET_BYTES} random bytes written as hex (64 digits) or base64url (43 characters); it is neither`;
  }
  if (bytes < MIN_SECRET_BYTES) {
    const written = HEX.test(value)
      ? `${value.length} hex digits`
      : `${value.length} base64url characters`;
    return `${name} is too short: ${written} are ${bytes} bytes, and at least ${MIN_SECRET_BYTES} random bytes are required`;
  }
  const distinct = new Set(value.replace(/=+$/, '')).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) {
    return `${name} is not random (${distinct} distinct characters)`;
  }
  return null;
};

/**
 * The problem with a secret, or null: unset or empty always counts; in production
 * the format is checked, elsewhere only the characters.
 */
export const secretProblem = (
  name: string,
  value: string | undefined,
  { production }: { production: boolean }
): string | null => {
  if (!value) return `${name} is not set`;
  return production ? secretFormatProblem(name, value) : secretCharactersProblem(name, value);
};

/** The plugin's keys: required in production (`/metrics` needs its token there). */
export const PLUGIN_REQUIRED_KEYS = ['FOUNDER_KEY', 'HISTORY_SIGNING_KEY', 'METRICS_TOKEN'];
/** Set only while rotating (the history's may list several keys, comma-separated, after several rotations). */
export const PLUGIN_ROTATION_KEYS = ['FOUNDER_KEY_PREVIOUS', 'HISTORY_SIGNING_KEY_PREVIOUS'];
const LISTS = new Set(['HISTORY_SIGNING_KEY_PREVIOUS']);

/** Every problem with the plugin's keys in `env`, one message each (empty when all is well). */
export const pluginKeyProblems = (env: NodeJS.ProcessEnv): string[] => {
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  for (const name of [...PLUGIN_REQUIRED_KEYS, ...PLUGIN_ROTATION_KEYS]) {
    const value = env[name];
    const required = production && PLUGIN_REQUIRED_KEYS.includes(name);
    if (!value && !required) continue;
    const values = LISTS.has(name) && value ? value.split(',') : [value];
    values.forEach((one, index) => {
      const label = values.length > 1 ? `${name} (key ${index + 1})` : name;
      const problem = secretProblem(label, one, { production });
      if (problem) problems.push(problem);
    });
  }
  return problems;
};

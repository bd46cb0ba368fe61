/**
 * The signing key: `HISTORY_SIGNING_KEY` (and `HISTORY_SIGNING_KEY_PREVIOUS`
 * while rotating). Never logged; only its key id (a MAC of a constant) is shown.
 */
import { randomBytes } from 'node:crypto';
import { keyIdOf } from './mac';
import type { KeyRing } from './types';

export const MIN_SECRET_LENGTH = 32;
/**
 * A rough strength estimate, length × log2(distinct characters), must reach 128
 * bits: 32 characters need 16 distinct ones, while `openssl rand -hex 32` (64
 * characters of a 16-letter alphabet, often only 14 or 15 of them present)
 * passes easily, and `abcabc…` or one repeated character never does.
 */
const MIN_ESTIMATED_BITS = 128;

/** Why a secret is unusable (unset, short, or obviously weak), or null when it is fine. */
export const secretProblem = (name: string, value: string | undefined): string | null => {
  if (!value) return `${name} is not set`;
  if (value.length < MIN_SECRET_LENGTH) {
    return `${name} is too short (${value.length} characters; at least ${MIN_SECRET_LENGTH} are required)`;
  }
  const distinct = new Set(value).size;
  if (distinct === 1) return `${name} is one character repeated`;
  const bits = value.length * Math.log2(distinct);
  if (bits < MIN_ESTIMATED_BITS) {
    return `${name} is too predictable (${distinct} distinct characters in ${value.length}; use a random key)`;
  }
  return null;
};

/**
 * The ring from HISTORY_SIGNING_KEY and HISTORY_SIGNING_KEY_PREVIOUS (one key,
 * or several separated by commas after more than one rotation).
 */
export const keyRingOf = (current: string, previous?: string | null): KeyRing => ({
  current: { id: keyIdOf(current), secret: current },
  previous: (previous ?? '')
    .split(',')
    .filter((secret) => secret !== '' && secret !== current)
    .map((secret) => ({ id: keyIdOf(secret), secret })),
});

/** A development key: random, kept in the database it signs (so never for production). */
export const generateDevelopmentKey = () => randomBytes(32).toString('hex');

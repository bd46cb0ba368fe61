/**
 * The signing key: `HISTORY_SIGNING_KEY` (and `HISTORY_SIGNING_KEY_PREVIOUS`
 * while rotating). Never logged; only its key id (a MAC of a constant) is shown.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { keyIdOf } from './mac';
import type { KeyRing } from './types';
import { secretProblem as formatProblem } from '../utils/secret-format';

/**
 * Why a secret cannot be used in production (unset, or not 32 random bytes in hex or
 * base64url), or null when it is fine. The rules live in utils/secret-format.
 */
export const secretProblem = (name: string, value: string | undefined): string | null =>
  formatProblem(name, value, { production: true });

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

/**
 * The ring a versioned type other than settings signs with: each key of the
 * ring derived for that type (HMAC of the type's uid under the key), so a row
 * or head copied from one type's chain into another's never verifies there,
 * and one HISTORY_SIGNING_KEY serves every type. Settings use the ring as it is
 * (its history predates types).
 */
export const ringForType = (ring: KeyRing, uid: string, isSettings: boolean): KeyRing => {
  if (isSettings) return ring;
  const derive = (secret: string) =>
    createHmac('sha256', secret).update(`platform-settings type ${uid}`).digest('hex');
  const current = derive(ring.current.secret);
  return {
    current: { id: keyIdOf(current), secret: current },
    previous: ring.previous.map(({ secret }) => {
      const derived = derive(secret);
      return { id: keyIdOf(derived), secret: derived };
    }),
  };
};

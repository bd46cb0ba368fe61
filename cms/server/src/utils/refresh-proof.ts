/**
 * `X-Settings-Min-Version` makes an instance read the database when its copy is
 * older than the version named. Only the CMS's own proxy refresh may ask for
 * that (services/cdn-purge.ts, CDN_PURGE_STYLE=nginx): from anyone else the
 * header would be a way to make every request cost a query. The refresh proves
 * where it comes from with `X-Settings-Refresh-Proof: <unix seconds>.<MAC>`, an
 * HMAC-SHA256 under the founder key (which every instance holds) of the version
 * and the time; it is good for five minutes either side, so a copied proof
 * cannot force reads for long. Without a valid proof the header is ignored and
 * the copy in memory answers.
 *
 * Another versioned type's refresh (`GET /api/home-page`) names its own version
 * sequence, so its proof also covers the type's key (`scope`): a proof made for
 * one type's version is no proof for another's. The settings' proof is
 * unchanged (no scope), so instances of different releases still agree on it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const REFRESH_PROOF_HEADER = 'X-Settings-Refresh-Proof';
const VALID_FOR_SECONDS = 300;

const macOf = (key: string, version: number, seconds: number, scope?: string) =>
  createHmac('sha256', key)
    .update(
      scope === undefined
        ? `platform-settings refresh\n${version}\n${seconds}`
        : `platform-settings refresh ${scope}\n${version}\n${seconds}`
    )
    .digest('base64url');

const founderKey = () => process.env.FOUNDER_KEY?.trim() ?? '';

/**
 * The proof for a refresh to `version` (of the type named by `scope`, the
 * settings when none); null where no founder key is set (nothing to prove with).
 */
export const refreshProof = (
  version: number,
  nowMs = Date.now(),
  scope?: string
): string | null => {
  const key = founderKey();
  if (!key) return null;
  const seconds = Math.floor(nowMs / 1000);
  return `${seconds}.${macOf(key, version, seconds, scope)}`;
};

const single = (value: string | string[] | undefined) =>
  Array.isArray(value) ? undefined : value?.trim();

/**
 * The minimum version a request may make this instance read up to: the header's
 * value when a valid proof comes with it, otherwise null (answer from memory).
 */
export const trustedMinVersion = (
  minVersionHeader: string | string[] | undefined,
  proofHeader: string | string[] | undefined,
  nowMs = Date.now(),
  scope?: string
): number | null => {
  const raw = single(minVersionHeader);
  const proof = single(proofHeader);
  if (!raw || !proof || !/^[1-9][0-9]{0,15}$/.test(raw)) return null;
  const key = founderKey();
  const match = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(proof);
  if (!key || !match) return null;
  const seconds = Number(match[1]);
  if (Math.abs(nowMs / 1000 - seconds) > VALID_FOR_SECONDS) return null;
  const version = Number(raw);
  const expected = Buffer.from(macOf(key, version, seconds, scope));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? version : null;
};

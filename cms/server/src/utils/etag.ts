/**
 * Entity tags for the settings representation. The tag names the version and a
 * hash of the exact body, so it is strong (byte-for-byte) and changes with
 * every version.
 */
import { createHash } from 'node:crypto';

export const etagFor = (version: number, body: string): string =>
  `"${version}-${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;

const splitTags = (header: string): string[] =>
  header
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored. */
export const noneMatch = (header: string | undefined, etag: string): boolean => {
  if (!header) return false;
  const tags = splitTags(header);
  return tags.includes('*') || tags.some((tag) => tag.replace(/^W\//, '') === etag);
};

/** If-Match uses the strong comparison: weak tags never match. */
export const ifMatchTags = (header: string | undefined): string[] | undefined =>
  header === undefined || header === '' ? undefined : splitTags(header);

export const strongMatch = (tags: string[], etag: string): boolean =>
  tags.includes('*') || tags.some((tag) => !tag.startsWith('W/') && tag === etag);

/**
 * Decides whether a live body should replace what a page shows, from its version and content.
 * One gate per document (the settings, the home page), so each keeps its own versions:
 *
 * - another version is applied: newer at once; lower at once from the stream, which only ever
 *   carries what its instance serves now (a database restored from a backup goes back), but from
 *   a poll only once polls have kept returning it for longer than a shared cache may serve a
 *   stale copy, so a CDN's old copy never takes the page back;
 * - the same version with other content is applied when the stream sends it: the server sends a
 *   version again only to a client whose last event came from another timeline (a restored
 *   database reuses version numbers), so its copy is the truth;
 * - a body without a version (a document served before it was versioned) is applied when its
 *   content differs from what is shown.
 */

/**
 * How long a shared cache may serve an older copy of the settings: the GET's
 * `max-age=60, stale-while-revalidate=30`. A lower version that polls still return after this
 * long is not a stale copy but the server's truth (a database restored from a backup).
 */
export const STALE_COPY_MAX_MS = 90_000;

/** `apply`: show it. `same`: already shown. `older-copy`: held back (a cache's older copy?). */
export type GateVerdict = 'apply' | 'same' | 'older-copy';

export interface Shown {
  /** null: no version known (-1 accepts any version, as for the built-in defaults). */
  version: number | null;
  /** The content on screen as one comparable string; null until known. */
  content: string | null;
}

export interface VersionGate {
  /** Judges a body and, when the verdict is `apply`, records it as shown. */
  judge(version: number | null, content: string, authoritative: boolean): GateVerdict;
  /** Records what is on screen without judging (a first load that arrived after the gate). */
  show(shown: Shown): void;
}

export function createVersionGate(initial: Shown, now: () => number = Date.now): VersionGate {
  let { version: shownVersion, content: shownContent } = initial;
  /** A lower version polls returned, and since when, until it is applied or superseded. */
  let lower: { version: number; since: number } | null = null;

  const apply = (version: number | null, content: string): GateVerdict => {
    lower = null;
    shownVersion = version;
    shownContent = content;
    return 'apply';
  };

  return {
    judge(version, content, authoritative) {
      if (version === null || shownVersion === null) {
        if (content !== shownContent) return apply(version, content);
        if (version !== null) shownVersion = version; // the same content, now with its version
        return 'same';
      }
      if (
        version === shownVersion &&
        (!authoritative || shownContent === null || content === shownContent)
      ) {
        shownContent ??= content;
        lower = null;
        return 'same';
      }
      if (version < shownVersion && !authoritative) {
        if (lower?.version !== version) lower = { version, since: now() };
        if (now() - lower.since <= STALE_COPY_MAX_MS) return 'older-copy';
      }
      return apply(version, content);
    },
    show(shown) {
      lower = null;
      shownVersion = shown.version;
      shownContent = shown.content;
    },
  };
}

/** A value as one comparable string, whatever order its object keys came in. */
export function contentOf(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item
  );
}

/**
 * The settings' live version as this page knows it: what the public event stream announced
 * (hooks/useLiveUpdates.ts), and what each response showed (services/api.ts).
 *
 * Why responses are checked against the announcement: the admin's data layer (Strapi's RTK
 * Query, 1.9) drops a refetch asked for while the same query is already in flight. A new version
 * announced while the history list is being fetched for another reason (a pin, a schedule, the
 * page's own load) would be lost: that request was answered before the commit, and the page
 * would show the old version until something else refreshed it. So a response older than the
 * announced version is fetched again once it has settled — once per query and announcement, so
 * a server that keeps answering an older version cannot make the page ask forever.
 */
let known: number | undefined;
let announced: number | undefined;
const askedAgain = new Set<string>();

/** The newest live version the stream announced or a response showed. */
export const lastKnownLiveVersion = () => known;

/** The public stream says `version` is live now (a newer one, or an older one after a restore). */
export const announceLiveVersion = (version: number) => {
  known = version;
  announced = version;
  askedAgain.clear();
};

/**
 * A response of `query` (any stable name for the query and its arguments) showed `version` as
 * live. True when it predates the stream's announcement and should be fetched again.
 */
export const responseIsStale = (query: string, version: number): boolean => {
  if (announced !== undefined && version < announced && !askedAgain.has(query)) {
    askedAgain.add(query);
    return true;
  }
  known = version;
  return false;
};

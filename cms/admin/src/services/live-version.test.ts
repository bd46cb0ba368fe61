/**
 * A version announced on the stream while a query was in flight must not be lost: the response
 * that predates it is fetched again, once (services/live-version.ts).
 */
import { expect, it } from '@jest/globals';
import { announceLiveVersion, lastKnownLiveVersion, responseIsStale } from './live-version';

it('asks again, once, for a response older than the announced version', () => {
  expect(responseIsStale('history', 1)).toBe(false);
  expect(lastKnownLiveVersion()).toBe(1);

  // Version 2 is announced while the history list (answered before the commit) is in flight.
  announceLiveVersion(2);
  expect(lastKnownLiveVersion()).toBe(2);
  expect(responseIsStale('history', 1)).toBe(true);
  // Each query is asked again on its own.
  expect(responseIsStale('live', 1)).toBe(true);
  expect(responseIsStale('history', 2)).toBe(false);
  expect(lastKnownLiveVersion()).toBe(2);

  // A server still answering the older version is not asked forever.
  expect(responseIsStale('live', 1)).toBe(false);
  expect(lastKnownLiveVersion()).toBe(1);

  // The next announcement may ask again.
  announceLiveVersion(3);
  expect(responseIsStale('live', 1)).toBe(true);
});

it('follows the stream back to an older version (a restored backup) without asking again', () => {
  announceLiveVersion(7);
  announceLiveVersion(4);
  expect(responseIsStale('history', 4)).toBe(false);
  expect(lastKnownLiveVersion()).toBe(4);
});

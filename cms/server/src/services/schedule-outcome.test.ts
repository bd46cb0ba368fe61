import { describe, expect, it } from '@jest/globals';
import {
  conflict,
  errors,
  fieldError,
  forbidden,
  preconditionFailed,
  serviceUnavailable,
  unprocessable,
} from '../utils/errors';
import { doneOutcome, failedRunOutcome } from './schedule-outcome';
import type { AnyCommitResult } from './versioning';

describe('doneOutcome (the run went through)', () => {
  const committed = { outcome: 'committed', committed: { version: 8 } } as AnyCommitResult;

  it('names the version it made, and says when it ran late', () => {
    expect(doneOutcome(committed, false)).toEqual({ version: 8, message: 'Made version 8' });
    expect(doneOutcome(committed, true)).toEqual({ version: 8, message: 'Made version 8, late' });
  });

  it.each<[string, AnyCommitResult]>([
    [
      'live already as scheduled',
      { outcome: 'unchanged', live: { version: 5 } } as AnyCommitResult,
    ],
    [
      'a second run replaying the first',
      { outcome: 'replayed', entry: { version: 5 } } as AnyCommitResult,
    ],
  ])('%s: nothing to change, at the live version', (_name, result) => {
    expect(doneOutcome(result, true)).toEqual({
      version: 5,
      message: 'Nothing to change: live was already as scheduled (version 5)',
    });
  });
});

describe('failedRunOutcome (the run threw)', () => {
  it('skips a schedule whose "only if live is version N" no longer holds (412)', () => {
    expect(failedRunOutcome(preconditionFailed(7), 6)).toEqual({
      status: 'skipped',
      reason: null,
      message: 'Skipped: live is no longer version 6',
    });
  });

  it('fails as forbidden when its author may no longer make the change (403)', () => {
    expect(failedRunOutcome(forbidden('Its author (admin 3) is no longer active'), null)).toEqual({
      status: 'failed',
      reason: 'forbidden',
      message: 'Failed: Its author (admin 3) is no longer active',
    });
  });

  it('fails as invalid on any other 4xx, naming each field the change got wrong', () => {
    const invalid = unprocessable('Invalid schedule data', [
      { ...fieldError('siteName', 'must not be empty'), path: ['data', 'siteName'] },
      { ...fieldError('tagline', 'must be a string'), path: ['data', 'tagline'] },
    ]);
    expect(failedRunOutcome(invalid, null)).toEqual({
      status: 'failed',
      reason: 'invalid',
      message:
        'Failed: Invalid schedule data: data.siteName must not be empty; data.tagline must be a string',
    });
    expect(failedRunOutcome(conflict('Busy', {}), null)).toMatchObject({
      status: 'failed',
      reason: 'invalid',
      message: 'Failed: Busy',
    });
    expect(
      failedRunOutcome(new errors.NotFoundError('Version 9 does not exist'), null)
    ).toMatchObject({
      status: 'failed',
      reason: 'invalid',
      message: 'Failed: Version 9 does not exist',
    });
    expect(
      failedRunOutcome(Object.assign(new Error('Gone'), { statusCode: 410 }), null)
    ).toMatchObject({ status: 'failed', message: 'Failed: Gone' });
  });

  it.each<[string, unknown]>([
    ['a database error', new Error('connect ECONNREFUSED 127.0.0.1:5432')],
    ['a 503', serviceUnavailable('The database is not reachable')],
    ['a 500', Object.assign(new Error('boom'), { status: 500 })],
    ["Strapi's ApplicationError (no status)", new errors.ApplicationError('Something went wrong')],
  ])("tries again after %s (not the change's fault)", (_name, error) => {
    expect(failedRunOutcome(error, 4)).toEqual({ status: 'pending' });
  });
});

import { describe, expect, it } from '@jest/globals';
import config from './index';

const withEvents = (events: Partial<ReturnType<typeof config.default>['events']>) => {
  const defaults = config.default();
  return { ...defaults, events: { ...defaults.events, ...events } };
};

describe('plugin config validator', () => {
  it('accepts the defaults', () => {
    expect(() => config.validator(config.default())).not.toThrow();
  });

  // Before: a 0 ms heartbeat (a timer loop) and zero or NaN stream caps were accepted.
  it.each([
    [{ heartbeatMs: 0 }, 'events.heartbeatMs must be a whole number of at least 1000'],
    [{ heartbeatMs: Number.NaN }, 'events.heartbeatMs must be a whole number of at least 1000'],
    [{ maxStreams: 0 }, 'events.maxStreams must be a whole number of at least 1'],
    [
      { maxStreamsPerClient: -1 },
      'events.maxStreamsPerClient must be a whole number of at least 1',
    ],
  ])('refuses events %o', (events, message) => {
    expect(() => config.validator(withEvents(events))).toThrow(message);
  });

  it('refuses a schedule check or preview token lifetime of 0', () => {
    expect(() => config.validator({ ...config.default(), scheduleCheckMs: 0 })).toThrow(
      'scheduleCheckMs must be a whole number of at least 100'
    );
    expect(() => config.validator({ ...config.default(), previewTokenTtlMs: 0 })).toThrow(
      'previewTokenTtlMs must be a whole number of at least 1000'
    );
  });
});

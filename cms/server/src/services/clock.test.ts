import { afterEach, describe, expect, it } from '@jest/globals';
import { createClockService } from './clock';

const nodeEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = nodeEnv;
});

describe('clock', () => {
  it('moves "now" under NODE_ENV=test, and goes back to the system clock on reset', () => {
    process.env.NODE_ENV = 'test';
    const clock = createClockService();
    const tomorrow = Date.now() + 24 * 60 * 60_000;
    clock.travelTo(tomorrow);
    expect(clock.now()).toBeGreaterThanOrEqual(tomorrow);
    expect(clock.now()).toBeLessThan(tomorrow + 60_000);
    clock.reset();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(60_000);
  });

  it.each(['production', 'development', ''])(
    'refuses to move under NODE_ENV=%p and keeps the system time',
    (value) => {
      process.env.NODE_ENV = value;
      const clock = createClockService();
      expect(() => clock.travelTo(Date.now() + 24 * 60 * 60_000)).toThrow(
        /only under NODE_ENV=test/
      );
      expect(Math.abs(clock.now() - Date.now())).toBeLessThan(60_000);
    }
  );
});

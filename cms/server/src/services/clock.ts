/**
 * The time schedules run by. Production reads the system clock; tests move it
 * (`travelTo`) to prove that a change prepared the day before happens at 02:00.
 */
export const createClockService = () => {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    /** Test hook: from now on, "now" is `at` (and moves on from there). */
    travelTo(at: Date | number) {
      offsetMs = new Date(at).getTime() - Date.now();
    },
    reset() {
      offsetMs = 0;
    },
  };
};

export type ClockService = ReturnType<typeof createClockService>;

/**
 * The time schedules run by: the system clock.
 *
 * `travelTo` is a test seam: the schedule tests move "now" to prove that a change
 * prepared the day before happens at 02:00. It works only when the process runs
 * under NODE_ENV=test (Jest sets it, and the test helpers boot Strapi with it),
 * and throws otherwise. NODE_ENV rather than a variable of its own because no
 * deployment runs with NODE_ENV=test (deploy/Dockerfile and `strapi start` run
 * production, `strapi develop` development), so no setting a site might carry
 * by mistake can shift when its schedules fire.
 */
const canTravel = () => process.env.NODE_ENV === 'test';

export const createClockService = () => {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    /** Test seam (NODE_ENV=test only): from now on, "now" is `at`, and moves on from there. */
    travelTo(at: Date | number) {
      if (!canTravel()) {
        throw new Error('clock.travelTo is a test seam: it works only under NODE_ENV=test');
      }
      offsetMs = new Date(at).getTime() - Date.now();
    },
    /** Back to the system clock. */
    reset() {
      offsetMs = 0;
    },
  };
};

export type ClockService = ReturnType<typeof createClockService>;

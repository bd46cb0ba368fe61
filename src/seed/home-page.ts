/**
 * First-start content for the home page: when none exists, the launch copy is created and
 * published through the Document Service (so every write path the plugin watches sees it), and
 * the Public role may read it (public-read.ts). Safe when several instances boot at once on one
 * database: the work runs under a lock (seed-lock.ts), and a write that still fails (SQLite's
 * single writer refusing a second instance) is retried after checking again.
 */
import type { Core } from '@strapi/strapi';
import { HOME_PAGE_LAUNCH_COPY } from './home-page-launch-copy';
import { grantPublicReadOnce, type PublicReadOutcome } from './public-read';
import { lockSeeding } from './seed-lock';

export const HOME_PAGE_UID = 'api::home-page.home-page';
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 250;

export interface HomePageSeedResult {
  /** True when this start created and published the home page. */
  created: boolean;
  publicRead: PublicReadOutcome;
}

const homePageExists = async (strapi: Core.Strapi) =>
  (await strapi.documents(HOME_PAGE_UID).findFirst({ fields: ['documentId'] })) !== null;

const seedOnce = async (strapi: Core.Strapi): Promise<HomePageSeedResult> =>
  strapi.db.transaction(async ({ trx }) => {
    await lockSeeding(strapi, trx);
    let created = false;
    if (!(await homePageExists(strapi))) {
      await strapi
        .documents(HOME_PAGE_UID)
        .create({ data: HOME_PAGE_LAUNCH_COPY, status: 'published' });
      created = true;
    }
    return { created, publicRead: await grantPublicReadOnce(strapi) };
  });

export const seedHomePage = async (strapi: Core.Strapi): Promise<HomePageSeedResult> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await seedOnce(strapi);
      if (result.created) strapi.log.info('Home page: created and published the launch copy.');
      if (result.publicRead === 'granted') {
        strapi.log.info(
          'Home page: the Public role may now read GET /api/home-page (revoke it in Users & Permissions → Roles → Public).'
        );
      }
      return result;
    } catch (error) {
      // Another instance seeding at the same moment: its work is what the next check finds.
      if (attempt >= ATTEMPTS) throw error;
      strapi.log.warn(
        `Home page: seeding failed (${(error as Error).message}); checking again (attempt ${attempt + 1} of ${ATTEMPTS}).`
      );
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
    }
  }
};

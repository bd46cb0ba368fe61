/**
 * What a new site's home page says until someone edits it: the launch copy for the sections
 * below the hero. Icons are names from the site's fixed set (web/src/homePage/featureIcons.ts:
 * history, rollback, shield, bolt, eye, calendar); a name the site does not know shows no icon.
 */
export const HOME_PAGE_LAUNCH_COPY = {
  seo: {
    title: 'Acme Platform: settings that ship safely',
    description:
      'Versioned site settings with a signed history, one-click rollback and live updates on every open page.',
  },
  features: [
    {
      title: 'Every change is a version',
      text: 'Edits from the admin, the API or a script each become one numbered version, written in the same transaction as the change.',
      icon: 'history',
    },
    {
      title: 'Roll back in one click',
      text: 'Compare any earlier version with the live one, then restore it as the next version. Nothing is ever rewritten.',
      icon: 'rollback',
    },
    {
      title: 'Live on every open page',
      text: 'Published changes reach visitors within seconds, without a reload, and CDNs refresh their copy.',
      icon: 'bolt',
    },
  ],
  closingCta: {
    heading: 'Ready for launch day?',
    label: 'Get started',
    url: '/signup',
  },
};

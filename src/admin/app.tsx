/**
 * The admin panel's customisation: which interface languages it offers. Strapi offers only
 * the locales listed here (English always); the platform-settings plugin ships French and
 * German, and each admin picks one under their profile.
 */
export default {
  config: {
    locales: ['fr', 'de'],
  },
  bootstrap() {},
};

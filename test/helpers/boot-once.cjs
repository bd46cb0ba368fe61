// Boots the compiled app once on the database its environment names, then stops it: what a
// first start does to an empty database (Strapi's migrations and schema sync, then every
// bootstrap). Run as a child process by schema-template.ts, so nothing a booted Strapi leaves in
// a process reaches the test worker; plain JavaScript, as Node runs it without Jest.
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const ROOT = path.resolve(__dirname, '../..');

(async () => {
  const strapi = createStrapi({
    appDir: ROOT,
    distDir: path.join(ROOT, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  strapi.log.level = 'error';
  await strapi.load();
  await strapi.destroy();
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Starts the compiled Strapi app in the current directory, as `strapi start`
// does: `node scripts/lib/strapi-server.cjs`. STRAPI_SERVE_ADMIN=false leaves out
// the admin panel (which needs a separate `strapi build`). Used by the launcher.
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const appDir = process.cwd();
createStrapi({
  appDir,
  distDir: path.join(appDir, 'dist'),
  serveAdminPanel: process.env.STRAPI_SERVE_ADMIN !== 'false',
  autoReload: false,
})
  .start()
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });

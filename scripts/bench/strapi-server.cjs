// The real app in production mode for the benchmark, without the admin panel
// (which needs a separate `strapi build`): `node scripts/bench/strapi-server.cjs`.
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const root = path.resolve(__dirname, '../..');
createStrapi({
  appDir: root,
  distDir: path.join(root, 'dist'),
  serveAdminPanel: false,
  autoReload: false,
})
  .start()
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });

#!/usr/bin/env node
// `npm run dev`: the CMS (Strapi develop, admin at http://localhost:1337/admin),
// the plugin's build in watch mode (`strapi-plugin watch`), and the web dev server
// (http://localhost:5173), together. Ctrl-C stops all three.
import concurrently from 'concurrently';

process.env.STRAPI_TELEMETRY_DISABLED = 'true';

const { result } = concurrently(
  [
    {
      name: 'plugin',
      command: 'npm run watch -w cms',
    },
    { name: 'cms', command: 'strapi develop' },
    { name: 'web', command: 'npm run dev -w web' },
  ],
  { killOthersOn: ['failure'], prefixColors: ['gray', 'blue', 'magenta'] }
);

result.then(
  () => process.exit(0),
  () => process.exit(1)
);

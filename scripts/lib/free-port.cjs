// The one way every script, launcher and test picks a port to listen on. Node built-ins only,
// so the browser launchers (web/scripts/lib/browsers/) can use it too.
'use strict';

const net = require('node:net');

/**
 * A port nothing listens on right now: the system picks one and the probe closes it again, for
 * a process that must be told its port before it starts (Strapi, nginx, a browser driver).
 */
const freePort = (host = '127.0.0.1') =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

module.exports = { freePort };

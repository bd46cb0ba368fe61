// The production topology on one machine, without Docker: PostgreSQL (the
// local server), N CMS instances in production mode, and real nginx in front
// as reverse proxy, shared cache and web server (deploy/nginx/stack.conf).
// Used by `npm run stack` and by the tests that rehearse deploys through it.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { freePort } = require('./free-port.cjs');
const { ROOT, productionSecrets, startStrapi } = require('./launcher.cjs');

const NGINX = process.env.NGINX_PATH || '/usr/sbin/nginx';
const MIME_TYPES = '/etc/nginx/mime.types';
const INSTALL_HINT = 'apt-get install -y nginx';

/** Why the stack cannot run here (one line, with the command that fixes it), or null. */
const missingTools = () =>
  fs.existsSync(NGINX) ? null : `nginx is not installed at ${NGINX} (${INSTALL_HINT})`;

const waitForPort = async (port, host, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** deploy/nginx/stack.conf with its placeholders filled in. */
const nginxConfig = ({ prefix, listen, webRoot, upstreamPorts, origins }) =>
  fs
    .readFileSync(path.join(ROOT, 'deploy', 'nginx', 'stack.conf'), 'utf8')
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{MIME_TYPES}}', MIME_TYPES)
    .replaceAll('{{LISTEN}}', listen)
    .replaceAll('{{WEB_ROOT}}', webRoot)
    .replaceAll(
      '{{UPSTREAM_SERVERS}}',
      upstreamPorts.map((port) => `    server 127.0.0.1:${port} max_fails=0;`).join('\n')
    )
    .replaceAll(
      '{{ORIGIN_MAP}}',
      origins.map((origin) => `    "${origin}" "${origin}";`).join('\n')
    )
    // The CMS instances run on this machine: refreshes come from loopback.
    .replaceAll('{{REFRESH_ALLOWED}}', '    127.0.0.1/32 1;');

/** nginx with deploy/nginx/stack.conf in `prefix`, in front of the given upstream ports. */
const startNginx = async ({ prefix, host, port, webRoot, upstreamPorts, origins }) => {
  for (const dir of ['tmp', 'cache']) fs.mkdirSync(path.join(prefix, dir), { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(
    conf,
    nginxConfig({ prefix, listen: `${host}:${port}`, webRoot, upstreamPorts, origins })
  );
  const check = spawnSync(NGINX, ['-t', '-q', '-p', prefix, '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refused its configuration:\n${check.stderr}`);
  const child = spawn(NGINX, ['-p', prefix, '-c', conf, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitForPort(port, host).catch((error) => {
    throw new Error(`${error.message}: nginx did not start\n${errors}`);
  });
  return {
    url: `http://${host}:${port}`,
    accessLog: path.join(prefix, 'access.log'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGQUIT');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
};

/**
 * Starts nginx and `instances` CMS processes on `databaseUrl` (PostgreSQL). The
 * CMS must be built (plugin, host app and, with serveAdmin, the admin panel) and
 * `webRoot` must hold the web build. Secrets are generated unless given in env.
 */
const startStack = async (options) => {
  const problem = missingTools();
  if (problem) throw new Error(problem);
  const host = options.host ?? '127.0.0.1';
  const prefix = options.dir;
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  const nginxPort = options.port ?? (await freePort(host));
  const url = `http://${host}:${nginxPort}`;
  const origins = options.corsOrigins ?? [url, 'http://localhost:5173'];
  const count = options.instances ?? 2;
  const ports = [];
  for (let index = 0; index < count; index += 1) ports.push(await freePort());

  const env = {
    NODE_ENV: 'production',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: options.databaseUrl,
    // Every secret production requires, fresh and random (never a development default).
    ...productionSecrets(),
    PUBLIC_URL: url,
    TRUST_PROXY: '1',
    CORS_ORIGINS: origins.join(','),
    CDN_PURGE_URL: `${url}/api/platform-settings`,
    CDN_PURGE_STYLE: 'nginx',
    LOG_FORMAT: 'json',
    // On SIGTERM: a second of `Connection: close` answers before the listener closes, so
    // nginx's keep-alive connections end cleanly instead of being cut under a request.
    SHUTDOWN_DELAY_MS: '1000',
    ...options.env,
  };

  const instances = ports.map((port, index) => {
    const name = String.fromCharCode(65 + index);
    const logFile = path.join(prefix, `cms-${name}.log`);
    const instance = {
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      logFile,
      running: null,
      async start() {
        instance.running = await startStrapi({
          port,
          env: { ...env, STACK_INSTANCE: name },
          serveAdmin: options.serveAdmin ?? true,
          logFile,
          timeoutMs: 180_000,
        });
        return instance;
      },
      async stop(stopOptions) {
        const running = instance.running;
        instance.running = null;
        return running?.stop(stopOptions);
      },
    };
    return instance;
  });

  let nginx;
  try {
    // One after the other: the first creates the schema and version 1.
    for (const instance of instances) await instance.start();
    nginx = await startNginx({
      prefix,
      host,
      port: nginxPort,
      webRoot: options.webRoot ?? path.join(ROOT, 'web', 'dist'),
      upstreamPorts: ports,
      origins,
    });
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    throw error;
  }

  return {
    url,
    env,
    instances,
    nginx,
    async stop() {
      await nginx.stop();
      await Promise.all(instances.map((instance) => instance.stop()));
    },
  };
};

module.exports = { missingTools, startNginx, startStack, INSTALL_HINT };

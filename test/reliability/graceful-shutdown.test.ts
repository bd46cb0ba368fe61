/**
 * SIGTERM drains before Strapi tears the sockets down: readiness answers 503
 * at once (load balancers stop sending), responses carry `Connection: close`,
 * and a write that is still arriving finishes and commits before the process
 * exits. Runs the app as a real process, on the suite's database.
 */
import http from 'node:http';
import { startStrapi, type RunningStrapi } from '../../scripts/lib/launcher.cjs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { bootApp, FOUNDER_KEY, founderHeaders, SIGNING_KEY } from '../helpers/strapi';

let database: TestDatabase;
let running: RunningStrapi | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await running?.stop({ signal: 'SIGKILL' });
  await database?.drop();
});

/** A PUT whose body arrives in two parts: in flight until the second is sent. */
const slowPut = (url: string, body: string) => {
  const bytes = Buffer.from(body);
  let finish!: () => void;
  const response = new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>(
    (resolve, reject) => {
      const request = http.request(
        `${url}/api/platform-settings`,
        {
          method: 'PUT',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': bytes.length,
            'X-Founder-Key': FOUNDER_KEY,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode!, body: text, headers: res.headers })
          );
        }
      );
      request.on('error', reject);
      request.write(bytes.subarray(0, 10));
      finish = () => request.end(bytes.subarray(10));
    }
  );
  return { response, finish: () => finish() };
};

it('drains: readiness 503, Connection: close, the write in flight commits, then it exits', async () => {
  running = await startStrapi({
    serveAdmin: false,
    env: {
      ...database.env,
      NODE_ENV: 'development',
      FOUNDER_KEY,
      HISTORY_SIGNING_KEY: SIGNING_KEY,
      SHUTDOWN_DELAY_MS: '1500',
    },
  });
  const { url } = running;
  expect((await fetch(`${url}/api/platform-settings/health`)).status).toBe(200);

  const put = slowPut(url, JSON.stringify({ data: { heroTitle: 'Written while stopping' } }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  running.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));

  const health = await fetch(`${url}/api/platform-settings/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ status: 'unavailable', draining: true });
  const read = await fetch(`${url}/api/platform-settings`);
  expect(read.status).toBe(200);
  expect(read.headers.get('connection')).toBe('close');

  put.finish();
  const answer = await put.response;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body).data).toMatchObject({
    version: 2,
    heroTitle: 'Written while stopping',
  });

  const exit = await running.exited;
  running = null;
  expect(exit.code).toBe(0);

  // What was acknowledged is there, and the chain verifies.
  const app = await bootApp({ database });
  try {
    const live = await app.request.get('/api/platform-settings').expect(200);
    expect(live.body.data).toMatchObject({ version: 2, heroTitle: 'Written while stopping' });
    const verify = await app.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200);
    expect(verify.body.data).toMatchObject({ ok: true, versions: 2 });
  } finally {
    await app.stop({ keepDatabase: true });
  }
});

/**
 * Optional error tracking: with SENTRY_DSN pointing at a local receiver, an
 * unexpected error in a request is reported — without the request's headers.
 */
import { bootApp, founderHeaders, FOUNDER_KEY, type TestApp } from '../helpers/strapi';
import { startReceiver, type Receiver } from './helpers/http-receiver';

let app: TestApp;
let receiver: Receiver;

interface ErrorTracking {
  enabled(): boolean;
  stop(): Promise<void>;
}
const errorTracking = () =>
  app.strapi.plugin('platform-settings').service('errorTracking') as unknown as ErrorTracking;

beforeAll(async () => {
  receiver = await startReceiver();
  // Under Jest, Sentry warns that it cannot hook the module loader; it is not used here.
  jest.spyOn(console, 'warn').mockImplementationOnce(() => undefined);
  const dsn = `${receiver.url.replace('//', '//publickey@')}/42`;
  app = await bootApp({ env: { SENTRY_DSN: dsn, SENTRY_ENVIRONMENT: 'test' } });
  // A route that fails the way a bug would: an unexpected error, not an HTTP one.
  app.strapi.server.routes([
    {
      method: 'GET',
      path: '/test-only/explode',
      handler: () => {
        throw new Error('Simulated bug for error tracking');
      },
      config: { auth: false },
    },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

test('sends nothing for what the API answers on purpose (4xx)', async () => {
  expect(errorTracking().enabled()).toBe(true);
  await app.request.get('/api/platform-settings/history/versions/99999').set(founderHeaders);
  await app.request.put('/api/platform-settings').send({ data: {} }).expect(401);
  // Checked below, once everything queued has been sent: only the 500 is there.
});

test('reports an unexpected request error to Sentry, without the request headers', async () => {
  // Strapi logs the error, which is what gets reported; keep it off the test output only.
  const consoles = app.strapi.log.transports.filter((t) => t.constructor.name === 'Console');
  consoles.forEach((t) => (t.silent = true));
  try {
    await app.request.get('/test-only/explode').set(founderHeaders).expect(500);
  } finally {
    consoles.forEach((t) => (t.silent = false));
  }
  // Sends what is queued.
  await errorTracking().stop();

  const envelopes = receiver.requests.filter((r) => r.url.startsWith('/api/42/envelope/'));
  const events = envelopes
    .flatMap((r) => r.body.split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((item) => Array.isArray((item.exception as { values?: unknown[] })?.values));
  expect(events).toHaveLength(1);
  const [event] = events as { exception: { values: { value: string }[] }; environment: string }[];
  expect(event.exception.values.at(-1)?.value).toBe('Simulated bug for error tracking');
  expect(event.environment).toBe('test');
  expect(envelopes.map((r) => r.body).join('\n')).not.toContain(FOUNDER_KEY);
});

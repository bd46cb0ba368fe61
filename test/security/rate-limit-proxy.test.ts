/**
 * Behind a proxy (TRUST_PROXY=1), the founder-key limit is keyed on the real
 * client: the right-most X-Forwarded-For entry, the one the proxy appended. A
 * lockout stops only the wrong keys of the client that guessed (a right key from
 * it is still accepted); a client that sends its own X-Forwarded-For cannot
 * charge someone else; the admin UI is never affected.
 * (supertest is the proxy here: it connects from 127.0.0.1 and says who the client is.)
 */
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { auth, registerSuperAdmin } from '../admin/admin-users';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp({ env: { TRUST_PROXY: '1' } });
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

/** A request as the proxy forwards it: X-Forwarded-For is what arrived, plus the client. */
const history = (forwardedFor: string) =>
  app.request.get('/api/platform-settings/history/versions').set('X-Forwarded-For', forwardedFor);

it('locks out only the client that guessed', async () => {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    await history('1.1.1.1').set('X-Founder-Key', `guess-${attempt}`).expect(403);
  }
  await history('1.1.1.1').set('X-Founder-Key', 'guess-11').expect(429);
  await history('1.1.1.1').set(founderHeaders).expect(200);
  // Another client's budget is untouched.
  await history('2.2.2.2').set('X-Founder-Key', 'typo').expect(403);
  // Another client, with the right key: the founder switching on maintenance mode mid-incident.
  await history('2.2.2.2').set(founderHeaders).expect(200);
  await app.request
    .put('/api/platform-settings')
    .set('X-Forwarded-For', '2.2.2.2')
    .set(founderHeaders)
    .send({ data: { maintenanceMode: true } })
    .expect(200);
});

it('does not believe an X-Forwarded-For the client sent itself', async () => {
  // Client 3.3.3.3 claims to be 2.2.2.2; the proxy appends the address it really saw.
  for (let attempt = 0; attempt < 11; attempt += 1) {
    await history('2.2.2.2, 3.3.3.3').set('X-Founder-Key', `guess-${attempt}`);
  }
  await history('2.2.2.2, 3.3.3.3').set('X-Founder-Key', 'again').expect(429);
  await history('3.3.3.3').set('X-Founder-Key', 'again').expect(429);
  await history('2.2.2.2').set('X-Founder-Key', 'typo').expect(403);
  await history('2.2.2.2').set(founderHeaders).expect(200);
});

it('never limits the admin UI', async () => {
  for (let attempt = 0; attempt < 11; attempt += 1) {
    await history('127.0.0.1').set('X-Founder-Key', `guess-${attempt}`);
  }
  await history('127.0.0.1').set('X-Founder-Key', 'again').expect(429);
  const admin = await registerSuperAdmin(app);
  await app.request
    .get('/platform-settings/history')
    .set('X-Forwarded-For', '127.0.0.1')
    .set(auth(admin.token))
    .expect(200);
});

/**
 * Attacks on the admin event stream (`GET /platform-settings/events`), through real
 * connections to a real Strapi: who may open it (only a signed-in admin's session JWT with
 * `history.read` — not a users-permissions JWT, an API/admin/transfer token, an expired or
 * forged JWT, a query-string token, a cookie, another origin), how soon a logout, a removed
 * permission, a deactivated or deleted admin stops hearing it, that its caps are shared with
 * the public stream, and that the periodic check costs the same however many streams are open.
 */
import { createHmac } from 'node:crypto';
import { adminWithActions, auth, type SignedInAdmin } from '../admin/admin-users';
import { ADMIN_EVENTS, READ, bootAdminEventsApp } from '../helpers/admin-events';
import { eventually, openStream, type OpenStream } from '../helpers/event-stream';
import { founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
let url: string;
let superAdmin: SignedInAdmin;
let reader: SignedInAdmin;
let nobody: SignedInAdmin;
const opened: OpenStream[] = [];

beforeAll(async () => {
  ({ app, url, superAdmin, reader, nobody } = await bootAdminEventsApp());
});
afterEach(() => {
  opened.splice(0).forEach((stream) => stream.close());
});
afterAll(async () => {
  await app?.stop();
});

const open = async (headers: Record<string, string> = {}, path = ADMIN_EVENTS) => {
  const stream = await openStream(url, headers, { path });
  opened.push(stream);
  return stream;
};
/** An admin stream past `ready`. */
const openReady = async (token: string) => {
  const stream = await open(auth(token));
  expect(stream.status).toBe(200);
  const first = stream.events[0] ?? (await stream.next());
  expect(first).toMatchObject({ event: 'ready' });
  return stream;
};
const openPublic = async () => {
  const stream = await open({}, '/api/platform-settings/events');
  if (stream.status === 200 && stream.events.length === 0) await stream.next();
  return stream;
};
const service = (name: string) => app.strapi.plugin('platform-settings').service(name);
const adminEvents = () =>
  service('adminEvents') as { open(): number; check(): Promise<void>; changed(t: string): void };
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

/** An HS256 JWT, signed here (no library: the test forges what an attacker would). */
const signJwt = (payload: Record<string, unknown>, secret: string, alg = 'HS256') => {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(payload)}`;
  if (alg === 'none') return `${unsigned}.`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};
const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
const withEventsConfig = async (patch: Record<string, number>, run: () => Promise<void>) => {
  const current = app.strapi.config.get('plugin::platform-settings.events') as Record<
    string,
    number
  >;
  app.strapi.config.set('plugin::platform-settings.events', { ...current, ...patch });
  try {
    await run();
  } finally {
    app.strapi.config.set('plugin::platform-settings.events', current);
  }
};
/** A schedule made by the super admin (an admin-only change: `changed` on every admin stream). */
const makeScheduleChange = () =>
  app.request
    .post('/platform-settings/schedules')
    .set(auth(superAdmin.token))
    .send({ kind: 'publish', runAt: inAnHour(), note: 'Secret launch' })
    .expect(201);

describe('who may open it', () => {
  it('refuses a visitor and an admin without history.read, and opens nothing', async () => {
    expect((await open()).status).toBe(401);
    expect((await open(auth(nobody.token))).status).toBe(403);
    expect(adminEvents().open()).toBe(0);
  });

  it('refuses a users-permissions (site user) JWT', async () => {
    const up = app.strapi.plugin('users-permissions');
    const role = await app.strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'authenticated' } });
    const user = await up.service('user').add({
      username: 'siteuser',
      email: 'siteuser@example.com',
      password: 'Site-password-1',
      provider: 'local',
      confirmed: true,
      blocked: false,
      role: role.id,
    });
    const jwt = up.service('jwt').issue({ id: user.id });
    expect((await open(auth(jwt))).status).toBe(401);
  });

  it('refuses a content-API token (even full access) and a transfer token', async () => {
    const apiToken = await (
      app.strapi.service('admin::api-token') as unknown as {
        create(input: Record<string, unknown>): Promise<{ accessKey: string }>;
      }
    ).create({ kind: 'content-api', name: 'full', type: 'full-access', lifespan: null });
    expect((await open(auth(apiToken.accessKey))).status).toBe(401);

    const transfer = await (
      app.strapi.admin.services.transfer as unknown as {
        token: { create(input: Record<string, unknown>): Promise<{ accessKey: string }> };
      }
    ).token.create({ name: 'push', description: '', permissions: ['push'], lifespan: null });
    expect((await open(auth(transfer.accessKey))).status).toBe(401);
  });

  // Strapi 5.54's admin tokens (Settings › Admin tokens) authenticate admin routes. Such a
  // token is no JWT, so the stream found no `exp` and never ended: not when the token
  // expired, not when it was deleted. The live updates are for the admin's own pages: the
  // stream now takes only a signed-in session.
  it('refuses an admin token (an API token of kind admin), even one granting history.read', async () => {
    const res = await app.request
      .post('/admin/admin-tokens')
      .set(auth(superAdmin.token))
      .send({
        name: 'automation',
        adminPermissions: [{ action: READ, subject: null, properties: {}, conditions: [] }],
      });
    expect(res.status).toBe(201);
    const accessKey = res.body.data.accessKey as string;
    // The token does authenticate admin routes (it may read the history) ...
    await app.request.get('/platform-settings/history').set(auth(accessKey)).expect(200);
    // ... but not the live stream, whose lifetime it cannot bound.
    const stream = await open(auth(accessKey));
    expect(stream.status).toBe(403);
    expect(adminEvents().open()).toBe(0);
  });

  it('refuses an expired, a forged, an unsigned and another secret’s admin JWT', async () => {
    const secret = app.strapi.config.get('admin.auth.secret') as string;
    const claims = payloadOf(reader.token);
    const now = Math.floor(Date.now() / 1000);
    // Expired, though signed with the right secret and for a live session.
    const expired = signJwt({ ...claims, iat: now - 7200, exp: now - 3600 }, secret);
    expect((await open(auth(expired))).status).toBe(401);
    // Signed with another app's (or the users-permissions) secret.
    const otherSecret = app.strapi.config.get('plugin::users-permissions.jwtSecret') as string;
    expect((await open(auth(signJwt(claims, otherSecret || 'another-app')))).status).toBe(401);
    expect((await open(auth(signJwt(claims, 'guessed-secret')))).status).toBe(401);
    // alg: none.
    expect((await open(auth(signJwt(claims, '', 'none')))).status).toBe(401);
    // A refresh-type token or one for a session that never existed, correctly signed.
    expect((await open(auth(signJwt({ ...claims, type: 'refresh' }, secret)))).status).toBe(401);
    expect((await open(auth(signJwt({ ...claims, sessionId: 'nope' }, secret)))).status).toBe(401);
    expect(adminEvents().open()).toBe(0);
  });

  it('takes the token from the Authorization header only: not a query string, not a cookie', async () => {
    for (const name of ['token', 'access_token', 'jwt', 'accessToken']) {
      const stream = await open({}, `${ADMIN_EVENTS}?${name}=${encodeURIComponent(reader.token)}`);
      expect(stream.status).toBe(401);
    }
    for (const cookie of [`jwtToken=${reader.token}`, `strapi_admin_refresh=${reader.token}`]) {
      expect((await open({ Cookie: cookie })).status).toBe(401);
    }
    expect(adminEvents().open()).toBe(0);
  });

  it('gives another origin no CORS answer to read the stream with', async () => {
    const stream = await open({ ...auth(reader.token), Origin: 'https://evil.example' });
    expect(stream.headers['access-control-allow-origin']).not.toBe('https://evil.example');
    expect(stream.headers['access-control-allow-origin']).not.toBe('*');
    const preflight = await app.request
      .options(ADMIN_EVENTS)
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.headers['access-control-allow-origin']).not.toBe('https://evil.example');
    expect(preflight.headers['access-control-allow-origin']).not.toBe('*');
  });
});

describe('what the public side sees of admin-only changes', () => {
  it('a pin with a label and a schedule with a note change nothing a visitor can read', async () => {
    const before = await app.request.get('/api/platform-settings').expect(200);
    const publicStream = await openPublic();
    const publicEvents = publicStream.events.length;
    await makeScheduleChange();
    await app.request
      .post('/platform-settings/history/1/pin')
      .set(auth(superAdmin.token))
      .send({ label: 'Secret label' })
      .expect(200);
    // Several periodic checks (200 ms) later: no event, no new ETag, body unchanged.
    await expect(publicStream.next(1000)).rejects.toThrow(/no event/);
    expect(publicStream.events).toHaveLength(publicEvents);
    expect(publicStream.comments.join('\n')).not.toMatch(/Secret|changed|schedules|pins/);
    const after = await app.request.get('/api/platform-settings').expect(200);
    expect(after.headers.etag).toBe(before.headers.etag);
    expect(JSON.stringify(after.body)).not.toMatch(/Secret/);
    // The history a visitor might try needs the founder key.
    await app.request.get('/api/platform-settings/history/versions').expect(401);
    await app.request
      .get('/api/platform-settings/history/versions')
      .set(founderHeaders)
      .expect(200);
  });
});

describe('revocation: a stream ends within one periodic check', () => {
  /** Opens a stream for `admin`, revokes with `revoke`, and checks no change reaches it after. */
  const revokedStreamEnds = async (admin: SignedInAdmin, revoke: () => Promise<unknown>) => {
    const stream = await openReady(admin.token);
    await revoke();
    // Ended by the server (bounded by versionCheckIntervalMs); the jest timeout fails it otherwise.
    await stream.ended;
    // A `changed` from before the end may be there (a periodic check noticing earlier tests'
    // changes, or the documented gap between a revocation and the next check); nothing after.
    const seen = stream.events.length;
    await makeScheduleChange();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events).toHaveLength(seen);
    expect(adminEvents().open()).toBe(0);
  };
  const adminServices = () => ({
    user: app.strapi.service('admin::user') as unknown as {
      updateById(id: number, data: Record<string, unknown>): Promise<unknown>;
      deleteById(id: number): Promise<unknown>;
    },
    role: app.strapi.service('admin::role') as unknown as {
      assignPermissions(id: number, permissions: unknown[]): Promise<unknown>;
    },
  });

  it('after the admin logs out', async () => {
    const admin = await adminWithActions(app, 'leaver', [READ]);
    await revokedStreamEnds(admin, () =>
      app.request.post('/admin/logout').set(auth(admin.token)).send({}).expect(200)
    );
    // The token itself no longer opens one.
    expect((await open(auth(admin.token))).status).toBe(401);
  });

  it('after history.read is taken from its role', async () => {
    const admin = await adminWithActions(app, 'demoted', [READ]);
    const user = await app.strapi.db
      .query('admin::user')
      .findOne({ where: { id: admin.id }, populate: ['roles'] });
    await revokedStreamEnds(admin, () =>
      adminServices().role.assignPermissions(user.roles[0].id, [])
    );
    expect((await open(auth(admin.token))).status).toBe(403);
  });

  it('after the admin is deactivated', async () => {
    const admin = await adminWithActions(app, 'deactivated', [READ]);
    await revokedStreamEnds(admin, () =>
      adminServices().user.updateById(admin.id, { isActive: false })
    );
  });

  it('after the admin is deleted', async () => {
    const admin = await adminWithActions(app, 'deleted', [READ]);
    await revokedStreamEnds(admin, () => adminServices().user.deleteById(admin.id));
  });

  it('keeps the streams of admins who still may read', async () => {
    const stream = await openReady(reader.token);
    await adminEvents().check();
    await adminEvents().check();
    const changed = stream.next();
    await makeScheduleChange();
    expect(await changed).toMatchObject({ event: 'changed' });
  });
});

describe('limits shared with the public stream', () => {
  it('counts public and admin streams from one address together', async () => {
    await withEventsConfig({ maxStreamsPerClient: 2 }, async () => {
      await openPublic();
      await openPublic();
      expect((await open(auth(reader.token))).status).toBe(503);
    });
    opened.splice(0).forEach((stream) => stream.close());
    await new Promise((resolve) => setTimeout(resolve, 100));
    await withEventsConfig({ maxStreamsPerClient: 2 }, async () => {
      await openReady(reader.token);
      await openReady(reader.token);
      expect((await openPublic()).status).toBe(503);
    });
  });

  it('counts admin streams against the instance cap for the public stream too', async () => {
    await withEventsConfig({ maxStreams: 2 }, async () => {
      await openReady(reader.token);
      await openReady(reader.token);
      expect((await openPublic()).status).toBe(503);
    });
  });

  it('reads the fingerprints once per check, however many streams are open', async () => {
    const queriesDuring = async (run: () => Promise<void>) => {
      let count = 0;
      const onQuery = () => {
        count += 1;
      };
      const knex = app.strapi.db.connection;
      knex.on('query', onQuery);
      try {
        await run();
      } finally {
        knex.off('query', onQuery);
      }
      return count;
    };
    // The median of five checks: another timer of the app may add a query to one of them,
    // or its own periodic check may already be running (then one joins it and asks less).
    const typicalQueries = async () => {
      const counts: number[] = [];
      for (let i = 0; i < 5; i += 1) counts.push(await queriesDuring(() => adminEvents().check()));
      return counts.sort((a, b) => a - b)[2];
    };
    // The streams of the tests before have closed; none open, no query.
    await eventually(() => adminEvents().open() === 0);
    expect(await typicalQueries()).toBe(0);
    await openReady(reader.token);
    await adminEvents().check();
    const one = await typicalQueries();
    expect(one).toBeGreaterThan(0);
    for (let i = 0; i < 15; i += 1) await openReady(reader.token);
    const many = await typicalQueries();
    expect(many).toBe(one);
  });
});

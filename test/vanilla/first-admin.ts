/**
 * What a user does in the admin of a fresh app before a script can write to it: sign up
 * as the first administrator (the admin's own form, `POST /admin/register-admin`), then
 * create a full-access API token (Settings → API Tokens, `POST /admin/api-tokens`). Plain
 * HTTP against the running app, as the admin panel sends it.
 */
import { randomBytes } from 'node:crypto';
import supertest from 'supertest';

export interface ApiToken {
  accessKey: string;
  name: string;
  headers: { Authorization: string };
}

const expectStatus = (what: string, response: supertest.Response, status: number) => {
  if (response.status !== status) {
    throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
};

export const firstAdminApiToken = async (url: string): Promise<ApiToken> => {
  const http = supertest(url);
  const registered = await http.post('/admin/register-admin').send({
    firstname: 'Vanilla',
    lastname: 'Admin',
    email: 'admin@vanilla.test',
    // The admin's rules: 8+ characters with an upper-case letter, a lower-case one and a digit.
    password: `Vanilla-${randomBytes(9).toString('base64url')}-1a`,
  });
  expectStatus('register-admin', registered, 200);
  const created = await http
    .post('/admin/api-tokens')
    .set('Authorization', `Bearer ${registered.body.data.token as string}`)
    .send({
      name: 'vanilla-app test',
      description: 'Writes the versioned single type over REST',
      type: 'full-access',
      lifespan: null,
    });
  expectStatus('api-tokens', created, 201);
  const { accessKey, name } = created.body.data as { accessKey: string; name: string };
  return { accessKey, name, headers: { Authorization: `Bearer ${accessKey}` } };
};

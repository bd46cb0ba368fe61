/**
 * The site and the API agree on every field: the web app's own parser
 * (web/src/settings/parseSettings.ts) reads the real API's GET and draft
 * responses — with the defaults and with every field changed — and finds
 * nothing missing or invalid, and nothing it does not know.
 */
import { parseSettingsBody } from '../../web/src/settings/parseSettings';
import { SETTINGS_FIELDS } from '../../web/src/settings/fields.generated';
import { SETTINGS_FIELD_NAMES } from '../../cms/shared/settings-fields';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());

const parsedAs = (body: { data: Record<string, unknown> }) => {
  const parsed = parseSettingsBody(body);
  expect(parsed).not.toBeNull();
  expect(parsed!.invalid).toEqual([]);
  const { version: _version, updatedAt: _updatedAt, ...fields } = body.data;
  // Every field the API sends, the site reads as sent, and it knows no other.
  expect(parsed!.settings).toEqual(fields);
  return parsed!.settings;
};

it('knows exactly the fields the plugin defines', () => {
  expect(Object.keys(SETTINGS_FIELDS)).toEqual(SETTINGS_FIELD_NAMES);
});

it('reads the public GET with the defaults', async () => {
  parsedAs((await app.request.get('/api/platform-settings').expect(200)).body);
});

it('reads the public GET and the draft with every field changed', async () => {
  const changed = {
    siteName: 'Contract Co',
    tagline: 'Agreed on both sides',
    heroTitle: 'Every field, both sides',
    heroSubtitle: 'A subtitle that the site must read as it is.',
    ctaLabel: 'Sign',
    ctaUrl: 'https://example.com/contract',
    primaryColor: '#102030',
    accentColor: '#A0B0C0',
    backgroundColor: '#000000',
    hero3dEnabled: false,
    hero3dDensity: 4321,
    hero3dSpeed: 2.5,
    maintenanceMode: true,
  };
  expect(Object.keys(changed)).toEqual(SETTINGS_FIELD_NAMES);
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: changed })
    .expect(200);
  expect(parsedAs((await app.request.get('/api/platform-settings').expect(200)).body)).toEqual(
    changed
  );

  await app.request
    .put('/api/platform-settings?status=draft')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Only in the draft' } })
    .expect(200);
  const draft = (
    await app.request.get('/api/platform-settings/draft').set(founderHeaders).expect(200)
  ).body;
  expect(parsedAs(draft)).toEqual({ ...changed, heroTitle: 'Only in the draft' });
});

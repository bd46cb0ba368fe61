import { DEFAULT_SETTINGS } from '../../src/settings/defaults';
import { isSafeCtaUrl, parseSettingsBody } from '../../src/settings/parseSettings';
import { apiBody, apiSettings } from './fixtures';

describe('parseSettingsBody', () => {
  it('accepts a valid API body', () => {
    expect(parseSettingsBody(apiBody())).toEqual({ settings: apiSettings, invalid: [] });
  });

  it('replaces invalid or missing fields with defaults and lists them', () => {
    const parsed = parseSettingsBody(
      apiBody({
        primaryColor: 'red',
        hero3dDensity: 5001,
        hero3dSpeed: -1,
        maintenanceMode: 'yes',
        heroTitle: '   ',
        tagline: undefined,
      })
    );
    expect(parsed?.invalid.sort()).toEqual(
      [
        'hero3dDensity',
        'hero3dSpeed',
        'heroTitle',
        'maintenanceMode',
        'primaryColor',
        'tagline',
      ].sort()
    );
    expect(parsed?.settings.primaryColor).toBe(DEFAULT_SETTINGS.primaryColor);
    expect(parsed?.settings.heroTitle).toBe(DEFAULT_SETTINGS.heroTitle);
    expect(parsed?.settings.siteName).toBe(apiSettings.siteName);
  });

  it('rejects a non-integer density', () => {
    expect(parseSettingsBody(apiBody({ hero3dDensity: 10.5 }))?.invalid).toEqual(['hero3dDensity']);
  });

  it.each([null, 'x', 42, {}, { data: null }, { data: 'x' }])('returns null for %j', (body) => {
    expect(parseSettingsBody(body)).toBeNull();
  });
});

describe('isSafeCtaUrl', () => {
  it.each(['/signup', '/a/b?c=d#e', 'https://example.com/x', 'http://localhost:3000'])(
    'accepts %s',
    (url) => expect(isSafeCtaUrl(url)).toBe(true)
  );

  it.each([
    'javascript:alert(1)',
    '//evil.example',
    '/\\evil.example',
    'mailto:a@b.c',
    'signup',
    '',
    42,
  ])('rejects %j', (url) => expect(isSafeCtaUrl(url)).toBe(false));
});

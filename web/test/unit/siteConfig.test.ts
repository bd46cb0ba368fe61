import { DEFAULT_API_URL, readSiteConfig } from '../../src/config/siteConfig';

const noEnv = { apiUrl: undefined, allowSoftwareWebGL: undefined };

describe('readSiteConfig', () => {
  it('defaults to the local CMS', () => {
    expect(readSiteConfig('', noEnv)).toEqual({
      apiUrl: DEFAULT_API_URL,
      allowSoftwareWebGL: false,
      diagnostics: false,
    });
  });

  it('uses VITE_API_URL without a trailing slash', () => {
    expect(readSiteConfig('', { ...noEnv, apiUrl: 'https://cms.example.com/' }).apiUrl).toBe(
      'https://cms.example.com'
    );
  });

  it('allows software WebGL by build flag or ?webgl=force', () => {
    expect(readSiteConfig('', { ...noEnv, allowSoftwareWebGL: 'true' }).allowSoftwareWebGL).toBe(
      true
    );
    expect(readSiteConfig('?webgl=force', noEnv).allowSoftwareWebGL).toBe(true);
    expect(readSiteConfig('?webgl=yes', noEnv).allowSoftwareWebGL).toBe(false);
  });

  it('enables diagnostics only with ?diagnostics=1', () => {
    expect(readSiteConfig('?diagnostics=1', noEnv).diagnostics).toBe(true);
    expect(readSiteConfig('?diagnostics=true', noEnv).diagnostics).toBe(false);
  });
});

import { DEFAULT_API_URL, DEFAULT_LIVE_POLL_MS, readSiteConfig } from '../../src/config/siteConfig';

const noEnv = { apiUrl: undefined, allowSoftwareWebGL: undefined, heroDiagnostics: undefined };

describe('readSiteConfig', () => {
  it('defaults to the local CMS', () => {
    expect(readSiteConfig('', noEnv)).toEqual({
      apiUrl: DEFAULT_API_URL,
      allowSoftwareWebGL: false,
      diagnostics: false,
      livePollMs: DEFAULT_LIVE_POLL_MS,
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

  it('enables diagnostics only with ?diagnostics=1 in a build made with VITE_HERO_DIAGNOSTICS=true', () => {
    const testBuild = { ...noEnv, heroDiagnostics: 'true' };
    expect(readSiteConfig('?diagnostics=1', testBuild).diagnostics).toBe(true);
    expect(readSiteConfig('?diagnostics=true', testBuild).diagnostics).toBe(false);
    expect(readSiteConfig('', testBuild).diagnostics).toBe(false);
    // A production build ignores the URL flag.
    expect(readSiteConfig('?diagnostics=1', noEnv).diagnostics).toBe(false);
    expect(readSiteConfig('?diagnostics=1', { ...noEnv, heroDiagnostics: '1' }).diagnostics).toBe(
      false
    );
  });

  it('polls every 30 s unless ?livePoll= says otherwise, never more often than every second', () => {
    expect(DEFAULT_LIVE_POLL_MS).toBe(30_000);
    expect(readSiteConfig('?livePoll=2', noEnv).livePollMs).toBe(2000);
    expect(readSiteConfig('?livePoll=0.01', noEnv).livePollMs).toBe(1000);
    for (const bad of ['?livePoll=0', '?livePoll=-5', '?livePoll=soon', '?livePoll=']) {
      expect(readSiteConfig(bad, noEnv).livePollMs).toBe(DEFAULT_LIVE_POLL_MS);
    }
  });
});

import {
  MAX_FEATURES,
  parseHomePageBody,
  parseHomePageLiveBody,
} from '../../src/homePage/parseHomePage';
import { homePageBody } from './homePageFixtures';

describe('parseHomePageBody', () => {
  it('reads every section of a fully populated body, and its version', () => {
    expect(parseHomePageBody(homePageBody())).toEqual({
      homePage: {
        seo: {
          title: 'Nimbus Cloud: config without the chaos',
          description: 'Versioned settings for busy teams.',
        },
        features: [
          { title: 'Versioned', text: 'Every change is a version.', icon: 'history' },
          { title: 'Reversible', text: 'Roll back in one click.', icon: 'rollback' },
          { title: 'Live', text: null, icon: 'bolt' },
        ],
        closingCta: { heading: 'Ready to launch?', label: 'Talk to us', url: '/contact' },
      },
      version: 4,
      ignored: [],
    });
  });

  it("renders nothing for missing components (Strapi's REST answer without populate)", () => {
    const bare = {
      data: {
        id: 2,
        documentId: 'home0document0id000000000',
        createdAt: '2025-01-01T00:00:00.000Z',
        publishedAt: '2025-01-01T00:00:00.000Z',
      },
      meta: {},
    };
    expect(parseHomePageBody(bare)).toEqual({
      homePage: { seo: null, features: [], closingCta: null },
      version: null,
      ignored: [],
    });
    // Explicitly empty sections too.
    expect(
      parseHomePageBody(homePageBody({ seo: null, features: [], closingCta: null }))?.homePage
    ).toEqual({ seo: null, features: [], closingCta: null });
  });

  it('keeps a feature whose icon the site does not know, without the icon, and says so', () => {
    const parsed = parseHomePageBody(
      homePageBody({
        features: [
          { title: 'Rocket', text: 'Fast.', icon: 'rocket' },
          { title: 'No icon', text: 'Plain.' },
          { title: 'Empty icon', icon: '' },
          { title: 'Prototype', icon: 'toString' },
        ],
      })
    );
    expect(parsed?.homePage.features).toEqual([
      { title: 'Rocket', text: 'Fast.', icon: null },
      { title: 'No icon', text: 'Plain.', icon: null },
      { title: 'Empty icon', text: null, icon: null },
      { title: 'Prototype', text: null, icon: null },
    ]);
    expect(parsed?.ignored).toEqual(['features[0].icon', 'features[3].icon']);
  });

  it('leaves out an invalid section alone, keeping the others', () => {
    const parsed = parseHomePageBody(
      homePageBody({
        seo: { description: 'No title' },
        features: [{ text: 'No title' }, 'not a feature', { title: 'Kept', icon: 'eye' }],
        closingCta: { heading: 'Click', label: 'Here', url: 'javascript:alert(1)' },
      })
    );
    expect(parsed?.homePage).toEqual({
      seo: null,
      features: [{ title: 'Kept', text: null, icon: 'eye' }],
      closingCta: null,
    });
    expect(parsed?.ignored).toEqual(['seo', 'features[0]', 'features[1]', 'closingCta']);
  });

  it.each([
    ['a protocol-relative URL', '//evil.example'],
    ['a missing URL', undefined],
    ['an empty label', ''],
  ])('refuses a closing call to action with %s', (_case, value) => {
    const cta =
      value === ''
        ? { heading: 'H', label: value, url: '/ok' }
        : { heading: 'H', label: 'L', url: value };
    expect(parseHomePageBody(homePageBody({ closingCta: cta }))?.homePage.closingCta).toBeNull();
  });

  it(`shows at most ${MAX_FEATURES} features, and a features value that is not a list as none`, () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ title: `F${i}` }));
    expect(parseHomePageBody(homePageBody({ features: many }))?.homePage.features).toHaveLength(
      MAX_FEATURES
    );
    const parsed = parseHomePageBody(homePageBody({ features: { title: 'one' } }));
    expect(parsed?.homePage.features).toEqual([]);
    expect(parsed?.ignored).toEqual(['features']);
  });

  it.each([null, 'text', [], { data: null }, { data: [] }, { error: { status: 404 } }])(
    'gives null for a body that is not a home page: %p',
    (body) => {
      expect(parseHomePageBody(body)).toBeNull();
    }
  );
});

describe('parseHomePageLiveBody', () => {
  beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));

  it('reads an event’s JSON text like a parsed body', () => {
    const body = homePageBody();
    expect(parseHomePageLiveBody(JSON.stringify(body))).toEqual(parseHomePageBody(body));
  });

  it('ignores bad JSON or a body without home-page data, with one warning each', () => {
    expect(parseHomePageLiveBody('{not json')).toBeNull();
    expect(parseHomePageLiveBody('{"data":null}')).toBeNull();
    expect(jest.mocked(console.warn).mock.calls.map(([text]) => String(text))).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/without home-page data/),
    ]);
  });
});

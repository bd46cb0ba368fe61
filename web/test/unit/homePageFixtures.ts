/** A home-page body as the CMS's fast path answers `GET /api/home-page` (fully populated). */
export function homePageBody(
  overrides: Record<string, unknown> = {},
  version: number | undefined = 4
): { data: Record<string, unknown>; meta: Record<string, unknown> } {
  return {
    data: {
      id: 2,
      documentId: 'home0document0id000000000',
      ...(version === undefined ? {} : { version }),
      publishedAt: '2025-01-01T00:00:00.000Z',
      seo: {
        id: 1,
        title: 'Nimbus Cloud: config without the chaos',
        description: 'Versioned settings for busy teams.',
        shareImage: null,
      },
      features: [
        { id: 1, title: 'Versioned', text: 'Every change is a version.', icon: 'history' },
        { id: 2, title: 'Reversible', text: 'Roll back in one click.', icon: 'rollback' },
        { id: 3, title: 'Live', text: null, icon: 'bolt' },
      ],
      closingCta: { id: 1, heading: 'Ready to launch?', label: 'Talk to us', url: '/contact' },
      ...overrides,
    },
    meta: {},
  };
}

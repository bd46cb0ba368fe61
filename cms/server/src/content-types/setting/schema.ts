// The versioned single type. Constraints here are enforced by Strapi for every
// write path (Content Manager, REST, code); the REST API validates the same rules
// up front to answer 422 with every offending field.
export const HEX_COLOR_PATTERN = '^#[0-9A-Fa-f]{6}$';
// An absolute http(s) URL, or a site path that is not protocol-relative ("//host").
export const CTA_URL_PATTERN = '^(https?://[^\\s/?#]+[^\\s]*|/(?!/)[^\\s]*)$';

export default {
  kind: 'singleType',
  collectionName: 'platform_settings',
  info: {
    singularName: 'setting',
    pluralName: 'settings',
    displayName: 'Platform settings',
    description: 'Global settings of the platform. Every change is a new, immutable version.',
  },
  options: {
    draftAndPublish: false,
  },
  pluginOptions: {
    'content-manager': { visible: true },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  attributes: {
    siteName: { type: 'string', required: true, minLength: 1, maxLength: 120 },
    tagline: { type: 'string', maxLength: 240 },
    heroTitle: { type: 'string', required: true, minLength: 1, maxLength: 120 },
    heroSubtitle: { type: 'text', maxLength: 400 },
    ctaLabel: { type: 'string', maxLength: 60 },
    ctaUrl: { type: 'string', maxLength: 2048, regex: CTA_URL_PATTERN },
    primaryColor: { type: 'string', regex: HEX_COLOR_PATTERN },
    accentColor: { type: 'string', regex: HEX_COLOR_PATTERN },
    backgroundColor: { type: 'string', regex: HEX_COLOR_PATTERN },
    hero3dEnabled: { type: 'boolean', default: true },
    hero3dDensity: { type: 'integer', min: 0, max: 5000, default: 1200 },
    hero3dSpeed: { type: 'decimal', min: 0, max: 10, default: 1 },
    maintenanceMode: { type: 'boolean', default: false },
    // Server-managed: set by the versioning middleware, never by a client.
    version: { type: 'integer', min: 1, default: 1 },
  },
};

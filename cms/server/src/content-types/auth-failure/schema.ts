// Failed founder-key attempts per client address, shared by every instance, so the
// limit (10 a minute per client) holds across the cluster, not per instance.
export default {
  kind: 'collectionType',
  collectionName: 'platform_settings_auth_failures',
  info: {
    singularName: 'auth-failure',
    pluralName: 'auth-failures',
    displayName: 'Platform settings founder-key failures',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  indexes: [
    {
      name: 'platform_settings_auth_failures_client_unique',
      columns: ['client_key'],
      type: 'unique',
    },
  ],
  attributes: {
    clientKey: { type: 'string', maxLength: 128, required: true },
    // Epoch milliseconds: the same number on every database.
    windowStart: { type: 'biginteger', required: true },
    failures: { type: 'integer', required: true },
  },
};

// Idempotency-Keys whose first use changed nothing (a key that made a version is
// on that history row), so a retry answers the same "unchanged" result.
export default {
  kind: 'collectionType',
  collectionName: 'platform_settings_idempotency_keys',
  info: {
    singularName: 'idempotency-key',
    pluralName: 'idempotency-keys',
    displayName: 'Platform settings idempotency key',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  indexes: [
    {
      name: 'platform_settings_idempotency_key_unique',
      columns: ['idempotency_key'],
      type: 'unique',
    },
  ],
  attributes: {
    idempotencyKey: { type: 'string', maxLength: 255, required: true },
    requestHash: { type: 'string', required: true },
    // The live version the request found (and left).
    version: { type: 'integer', required: true },
  },
};

// One immutable row per settings version. Hidden from the Content Manager and the
// Content-Type Builder: only the versioning service writes it.
export default {
  kind: 'collectionType',
  collectionName: 'platform_settings_history',
  info: {
    singularName: 'history',
    pluralName: 'histories',
    displayName: 'Platform settings history',
  },
  options: {
    draftAndPublish: false,
  },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  // `unique: true` on an attribute creates no index; this one is what keeps two
  // writers from ever recording the same version.
  indexes: [
    { name: 'platform_settings_history_version_unique', columns: ['version'], type: 'unique' },
    { name: 'platform_settings_history_pinned_idx', columns: ['pinned', 'version'] },
    // A retried PUT with the same Idempotency-Key finds the version it already made.
    {
      name: 'platform_settings_history_idempotency_key_unique',
      columns: ['idempotency_key'],
      type: 'unique',
    },
  ],
  attributes: {
    version: { type: 'integer', required: true, unique: true, min: 1 },
    changeType: { type: 'enumeration', enum: ['create', 'update', 'rollback'], required: true },
    data: { type: 'json', required: true },
    changedFields: { type: 'json', required: true },
    restoredFrom: { type: 'integer' },
    author: { type: 'json', required: true },
    note: { type: 'text' },
    schemaVersion: { type: 'integer', required: true },
    // HMAC-SHA256 of the row's immutable fields and the previous row's MAC (see chain/mac.ts).
    hash: { type: 'string', required: true },
    // Id of the key that made `hash`; empty on rows from releases before the keyed chain.
    signedWith: { type: 'string' },
    // Which fields `hash` covers (chain/mac.ts MAC_FORMATS); empty on rows signed before formats were named.
    macFormat: { type: 'integer' },
    pinned: { type: 'boolean', default: false },
    pinLabel: { type: 'string', maxLength: 120 },
    idempotencyKey: { type: 'string', maxLength: 255, private: true },
    requestHash: { type: 'string', private: true },
  },
};

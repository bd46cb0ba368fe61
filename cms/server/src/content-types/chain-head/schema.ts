// The head of the history chain: the newest version and its MAC, the key that
// signs new rows and the operator's events (adoptions, rotations, restore
// epochs), signed as a whole and written in the same transaction as every
// history row. One row, never deleted (unlike the settings row, which Draft &
// Publish re-creates), so it also serves as the lock every writer takes
// (`SELECT … FOR UPDATE`).
export default {
  kind: 'collectionType',
  collectionName: 'platform_settings_chain_head',
  info: {
    singularName: 'chain-head',
    pluralName: 'chain-heads',
    displayName: 'Platform settings chain head',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  indexes: [
    {
      name: 'platform_settings_chain_head_document_unique',
      columns: ['document_id'],
      type: 'unique',
    },
  ],
  attributes: {
    headVersion: { type: 'integer', required: true },
    headMac: { type: 'string' },
    keyId: { type: 'string', required: true },
    // Adoptions, key rotations and restore epochs (chain/types.ts ChainEvent), oldest first.
    events: { type: 'json' },
    macFormat: { type: 'integer' },
    // HMAC of the head's version, MAC, key id and events under that key (chain/mac.ts headSignature).
    signature: { type: 'string' },
    // Development only: the generated signing key. Production refuses to start without
    // HISTORY_SIGNING_KEY and never reads this column.
    devKey: { type: 'string', private: true },
  },
};

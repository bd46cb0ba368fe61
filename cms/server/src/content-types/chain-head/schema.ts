// The head of the history chain: the newest version and its MAC, written in the
// same transaction as every history row. One row, never deleted (unlike the
// settings row, which Draft & Publish re-creates), so it also serves as the
// lock every writer takes (`SELECT … FOR UPDATE`).
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
    // Until when rows written by a release before the keyed chain are adopted (rolling upgrade).
    legacyGraceUntil: { type: 'datetime' },
    // Development only: the generated signing key. Production refuses to start without HISTORY_SIGNING_KEY.
    devKey: { type: 'string', private: true },
  },
};

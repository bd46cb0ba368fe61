// Left by `history:archive` in place of each contiguous range of rows it moved to
// a file: the MACs the range chains from and ends with, and the file's sha256,
// all signed, so verify can tell an archived range from a deleted one.
export default {
  kind: 'collectionType',
  collectionName: 'platform_settings_history_checkpoints',
  info: {
    singularName: 'checkpoint',
    pluralName: 'checkpoints',
    displayName: 'Platform settings history checkpoint',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  indexes: [
    {
      name: 'platform_settings_checkpoints_from_unique',
      columns: ['from_version'],
      type: 'unique',
    },
  ],
  attributes: {
    fromVersion: { type: 'integer', required: true },
    toVersion: { type: 'integer', required: true },
    prevMac: { type: 'string' },
    lastMac: { type: 'string', required: true },
    fileDigest: { type: 'string' },
    fileName: { type: 'string' },
    rowCount: { type: 'integer', required: true },
    rowsKeyId: { type: 'string', required: true },
    archivedAt: { type: 'datetime', required: true },
    mac: { type: 'string', required: true },
    signedWith: { type: 'string', required: true },
    macFormat: { type: 'integer' },
  },
};

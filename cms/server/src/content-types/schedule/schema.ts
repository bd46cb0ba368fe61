// Changes prepared for a date and time: publishing the draft, a rollback, or a
// patch of their own. Run exactly once, by whichever instance gets there first
// (services/schedules.ts); what happened stays on the row.
export default {
  kind: 'collectionType',
  collectionName: 'platform_settings_schedules',
  info: {
    singularName: 'schedule',
    pluralName: 'schedules',
    displayName: 'Platform settings schedule',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  indexes: [{ name: 'platform_settings_schedules_due_idx', columns: ['status', 'run_at'] }],
  attributes: {
    kind: { type: 'enumeration', enum: ['publish', 'rollback', 'patch'], required: true },
    runAt: { type: 'datetime', required: true },
    // patch: the fields to set, like a PUT body's `data`.
    data: { type: 'json' },
    // rollback: the version to restore.
    targetVersion: { type: 'integer' },
    // Only if the live version is still this one (If-Match), else skipped.
    ifVersion: { type: 'integer' },
    note: { type: 'text' },
    author: { type: 'json', required: true },
    status: {
      type: 'enumeration',
      enum: ['pending', 'done', 'failed', 'skipped', 'cancelled'],
      required: true,
      default: 'pending',
    },
    resultVersion: { type: 'integer' },
    resultMessage: { type: 'text' },
    ranAt: { type: 'datetime' },
  },
};

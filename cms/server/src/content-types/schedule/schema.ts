// Changes prepared for a date and time: publishing the draft, a rollback, or a
// patch of their own (the settings only), to one versioned type. Run exactly once, by whichever instance gets there first
// (services/schedules.ts); what happened stays on the row. Signed at creation,
// so only what an admin prepared through the API ever runs.
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
    // The versioned type it changes (its uid). Rows made before other types had
    // schedules have the settings' (the default, also read for an empty column).
    typeUid: { type: 'string', default: 'plugin::platform-settings.setting' },
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
    // HMAC-SHA256 over what the schedule will do (chain/schedule-mac.ts), the id of
    // the key that signed it and the layout of the signed data. A row without a
    // valid MAC never runs.
    mac: { type: 'string' },
    signedWith: { type: 'string' },
    macFormat: { type: 'integer' },
    status: {
      type: 'enumeration',
      // running: claimed by one instance (`claimedAt`), so it is neither run twice nor cancelled.
      enum: ['pending', 'running', 'done', 'failed', 'skipped', 'cancelled'],
      required: true,
      default: 'pending',
    },
    claimedAt: { type: 'datetime' },
    // failed: tampered, invalid or forbidden (shared/contracts/settings.ts).
    failureReason: { type: 'string' },
    resultVersion: { type: 'integer' },
    resultMessage: { type: 'text' },
    ranAt: { type: 'datetime' },
  },
};

/**
 * The plugin's RBAC actions, as the server registers them (see
 * server/src/permissions.ts). The UI only hides what the server refuses anyway.
 */
const action = (uid: string) => ({ action: `plugin::platform-settings.${uid}`, subject: null });

export const PERMISSIONS = {
  read: [action('history.read')],
  rollback: [action('history.rollback')],
  schedule: [action('schedule')],
};

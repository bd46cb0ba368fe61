/**
 * The settings' RBAC actions, as the server registers them (see
 * server/src/permissions.ts). The UI only hides what the server refuses anyway.
 * Each type's own history and schedule actions (the settings' included) come with the type list the server sends
 * (`GET /platform-settings/types`), so they are never spelled out here.
 */
const action = (uid: string) => ({ action: `plugin::platform-settings.${uid}`, subject: null });

export const PERMISSIONS = {
  read: [action('history.read')],
};

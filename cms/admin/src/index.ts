/** Admin entry of the platform-settings plugin. */
const PLUGIN_ID = 'platform-settings';

export default {
  register(app: { registerPlugin: (plugin: { id: string; name: string }) => void }) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Platform settings' });
  },
};

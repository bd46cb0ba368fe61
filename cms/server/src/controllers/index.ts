import adminHistory from './admin-history';
import adminSettings from './admin-settings';
import history from './history';
import rollback from './rollback';
import settings from './settings';

export default {
  'admin-history': adminHistory,
  'admin-settings': adminSettings,
  history,
  rollback,
  settings,
};

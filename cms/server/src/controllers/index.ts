import adminEvents from './admin-events';
import adminHistory from './admin-history';
import adminPreview from './admin-preview';
import adminSchedules from './admin-schedules';
import adminSettings from './admin-settings';
import adminTypes from './admin-types';
import drafts from './drafts';
import events from './events';
import history from './history';
import rollback from './rollback';
import settings from './settings';

export default {
  'admin-events': adminEvents,
  'admin-history': adminHistory,
  'admin-preview': adminPreview,
  'admin-schedules': adminSchedules,
  'admin-settings': adminSettings,
  'admin-types': adminTypes,
  drafts,
  events,
  history,
  rollback,
  settings,
};

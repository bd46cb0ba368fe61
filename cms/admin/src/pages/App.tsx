/** The plugin page: the history list and one page per version. */
import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { useLiveUpdates } from '../hooks/useLiveUpdates';
import { PERMISSIONS } from '../permissions';
import { HistoryPage } from './HistoryPage';
import { VersionPage } from './VersionPage';

/** Versions, schedules and pins changed elsewhere reach the open page (no polling). */
const LiveUpdates = () => {
  useLiveUpdates();
  return null;
};

const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <LiveUpdates />
    <Routes>
      <Route index element={<HistoryPage />} />
      <Route path=":version" element={<VersionPage />} />
    </Routes>
  </Page.Protect>
);

export default App;

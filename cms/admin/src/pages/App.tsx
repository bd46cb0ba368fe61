/** The plugin page: the history list and one page per version. */
import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { HistoryPage } from './HistoryPage';
import { VersionPage } from './VersionPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<HistoryPage />} />
      <Route path=":version" element={<VersionPage />} />
    </Routes>
  </Page.Protect>
);

export default App;

/**
 * The plugin page: a history list and one page per version, for each versioned type
 * this admin may read — the settings at the plugin's path, the others under
 * `types/<key>` (utils/paths.ts). Which types those are is the server's answer, so a
 * role with only the home page's history sees the home page's and nothing else.
 */
import { Page } from '@strapi/strapi/admin';
import { Navigate, Route, Routes, useParams } from 'react-router-dom';
import type { VersionedTypeSummary } from '../../../shared/contracts/settings';
import { CurrentTypeProvider } from '../hooks/useCurrentType';
import { useLiveUpdates } from '../hooks/useLiveUpdates';
import { SETTINGS_KEY } from '../pluginId';
import { useListTypesQuery } from '../services/api';
import { historyPath } from '../utils/paths';
import { HistoryPage } from './HistoryPage';
import { VersionPage } from './VersionPage';

/** Versions, schedules and pins changed elsewhere reach the open page (no polling). */
const LiveUpdates = () => {
  useLiveUpdates();
  return null;
};

/** The page of the type named in the path (the settings without one). */
const OfType = ({
  types,
  children,
}: {
  types: VersionedTypeSummary[];
  children: React.ReactNode;
}) => {
  const { key } = useParams();
  const type = types.find((candidate) => candidate.key === (key ?? SETTINGS_KEY));
  if (!type) {
    // The plugin's own path for an admin who may not read the settings: the first type they may.
    if (key === undefined) return <Navigate to={historyPath(types[0].key)} replace />;
    return <Page.NoPermissions />;
  }
  return (
    <CurrentTypeProvider key={type.key} type={type} types={types}>
      {children}
    </CurrentTypeProvider>
  );
};

const App = () => {
  const types = useListTypesQuery();
  if (types.isLoading) return <Page.Loading />;
  if (!types.data) return <Page.Error />;
  if (types.data.length === 0) return <Page.NoPermissions />;
  const page = (children: React.ReactNode) => <OfType types={types.data!}>{children}</OfType>;
  return (
    <>
      <LiveUpdates />
      <Routes>
        <Route index element={page(<HistoryPage />)} />
        <Route path="types/:key" element={page(<HistoryPage />)} />
        <Route path="types/:key/:version" element={page(<VersionPage />)} />
        <Route path=":version" element={page(<VersionPage />)} />
      </Routes>
    </>
  );
};

export default App;

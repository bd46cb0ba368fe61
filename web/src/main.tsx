import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { siteConfig } from './config/siteConfig';
import { installHero3dDiagnostics } from './diagnostics/hero3dDiagnostics';
import { decodePreviewToken, readPreviewToken } from './preview/previewLink';
import { loadHomePage } from './homePage/loadHomePage';
import { PreviewApp } from './preview/PreviewApp';
import { loadSettings } from './settings/loadSettings';
import './styles.css';

if (siteConfig.diagnostics) installHero3dDiagnostics(window);

// A preview link (#preview-token=…, from the admin) shows the draft or one version instead.
const previewToken = readPreviewToken(window.location.hash);
if (previewToken) {
  // Out of the address bar, so it is not bookmarked, copied or kept in the tab's history.
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
}

function page() {
  if (previewToken) {
    return (
      <PreviewApp
        apiUrl={siteConfig.apiUrl}
        // The admin panel is served by the CMS: its origin is the API's.
        adminOrigin={new URL(siteConfig.apiUrl).origin}
        token={decodePreviewToken(previewToken)}
        allowSoftwareWebGL={siteConfig.allowSoftwareWebGL}
      />
    );
  }
  // Start the requests before React renders so they overlap with parsing and the first paint.
  // The home page's is separate: the hero never waits for it, nor fails with it.
  const settingsRequest = loadSettings({ apiUrl: siteConfig.apiUrl });
  const homePageRequest = loadHomePage({ apiUrl: siteConfig.apiUrl });
  const live = { apiUrl: siteConfig.apiUrl, pollIntervalMs: siteConfig.livePollMs };
  return (
    <App
      settingsRequest={settingsRequest}
      homePageRequest={homePageRequest}
      allowSoftwareWebGL={siteConfig.allowSoftwareWebGL}
      live={live}
    />
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode>{page()}</StrictMode>);

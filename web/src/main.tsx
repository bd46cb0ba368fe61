import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { siteConfig } from './config/siteConfig';
import { installHero3dDiagnostics } from './diagnostics/hero3dDiagnostics';
import { loadSettings } from './settings/loadSettings';
import './styles.css';

// Start the request before React renders so it overlaps with parsing and the first paint.
const settingsRequest = loadSettings({ apiUrl: siteConfig.apiUrl });

if (siteConfig.diagnostics) installHero3dDiagnostics(window);

const live = { apiUrl: siteConfig.apiUrl, pollIntervalMs: siteConfig.livePollMs };

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App
        settingsRequest={settingsRequest}
        allowSoftwareWebGL={siteConfig.allowSoftwareWebGL}
        live={live}
      />
    </StrictMode>
  );
}

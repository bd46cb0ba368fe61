/**
 * The only module that reads `import.meta.env`, so the rest of the code (and Jest, which has no
 * `import.meta.env`) sees plain values. Every VITE_* value is public: it ships in the bundle.
 */
export const buildEnv = {
  apiUrl: import.meta.env.VITE_API_URL,
  allowSoftwareWebGL: import.meta.env.VITE_ALLOW_SOFTWARE_WEBGL,
  heroDiagnostics: import.meta.env.VITE_HERO_DIAGNOSTICS,
};

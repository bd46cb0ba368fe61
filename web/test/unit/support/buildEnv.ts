/** Stand-in for src/config/buildEnv.ts under Jest (no import.meta.env there). */
export const buildEnv = {
  apiUrl: undefined as string | undefined,
  allowSoftwareWebGL: undefined as string | undefined,
  heroDiagnostics: undefined as string | undefined,
};

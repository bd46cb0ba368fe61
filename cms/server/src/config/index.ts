export interface PluginConfig {
  /** Failed founder-key attempts allowed per client IP in one window. */
  authFailuresPerWindow: number;
  authWindowMs: number;
}

export default {
  default: (): PluginConfig => ({
    authFailuresPerWindow: 10,
    authWindowMs: 60_000,
  }),
  validator(config: PluginConfig) {
    if (!Number.isInteger(config.authFailuresPerWindow) || config.authFailuresPerWindow < 1) {
      throw new Error('authFailuresPerWindow must be a positive integer');
    }
    if (!Number.isInteger(config.authWindowMs) || config.authWindowMs < 1000) {
      throw new Error('authWindowMs must be at least 1000');
    }
  },
};

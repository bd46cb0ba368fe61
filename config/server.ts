// HTTP server. Every secret has a development default so a fresh clone starts
// without editing anything; production must set real values (see README).
type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
  bool(key: string, fallback?: boolean): boolean;
  array(key: string, fallback?: string[]): string[];
};

export default ({ env }: { env: Env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('TRUST_PROXY', false),
  app: {
    keys: env.array('APP_KEYS', ['dev-app-key-1', 'dev-app-key-2']),
  },
});

/**
 * Builds the plugin (when stale) and compiles the host app once per test run; when the run asks
 * for it (TEST_SCHEMA_TEMPLATE), prepares the schema template its files copy (schema-template.ts).
 * Here, and not in the first test file, so that boot counts against no test's timeout.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { prepareTemplate, templateClientAsked } from './schema-template';

export default async () => {
  const root = path.resolve(__dirname, '../..');
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  execFileSync(process.execPath, ['scripts/ensure-install.mjs', '--build-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(tsc, ['-p', 'tsconfig.json', '--outDir', 'dist'], { cwd: root, stdio: 'inherit' });
  const client = templateClientAsked();
  // Workers start after this, and inherit the variable.
  if (client) process.env.TEST_SCHEMA_TEMPLATE_FILE = await prepareTemplate(client);
};

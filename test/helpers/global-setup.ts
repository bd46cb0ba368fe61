/** Builds the plugin (when stale) and compiles the host app once per test run. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default async () => {
  const root = path.resolve(__dirname, '../..');
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  execFileSync(process.execPath, ['scripts/ensure-install.mjs', '--build-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(tsc, ['-p', 'tsconfig.json', '--outDir', 'dist'], { cwd: root, stdio: 'inherit' });
};

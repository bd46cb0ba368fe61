/** Compiles the plugin and the host app once per test run. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default async () => {
  const root = path.resolve(__dirname, '../..');
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, ['-p', 'cms/server/tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(tsc, ['-p', 'tsconfig.json', '--outDir', 'dist'], { cwd: root, stdio: 'inherit' });
};

/**
 * A previous release of this repository, built and ready to start as a real
 * process next to the current code: for rolling-upgrade tests (one old and one
 * new instance on the same database). Taken from git history, so it needs the
 * repository's history (a fresh clone has it).
 */
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './database';

/** The last release before the history chain was keyed: its rows carry plain sha256 hashes. */
export const RELEASE_BEFORE_KEYED_CHAIN = 'e88c23b7ce38f2121a8e1430b5e7467cec074b18';

export const preparePreviousRelease = (commit: string): string => {
  const dir = path.join(ROOT, '.tmp', `release-${commit.slice(0, 12)}`);
  const ready = path.join(dir, '.ready');
  if (fs.existsSync(ready)) return dir;
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    throw new Error(
      `Commit ${commit} is not in this repository's history; the upgrade test needs a clone with history (git clone, not an archive)`
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execSync(`git archive --format=tar ${commit} | tar -x -C "${dir}"`, { cwd: ROOT });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'public', 'uploads'), { recursive: true });
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, ['-p', 'cms/server/tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  execFileSync(tsc, ['-p', 'tsconfig.json', '--outDir', 'dist'], { cwd: dir, stdio: 'inherit' });
  fs.writeFileSync(ready, `${commit}\n`);
  return dir;
};

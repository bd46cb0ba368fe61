// Child processes (Xvfb, WebKitWebDriver) and temp profiles for the browser launchers.
// Every child is killed when the Node process exits, so a crashed test run leaves nothing behind.
'use strict';

const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Like child_process.spawn, but the child dies with this process if nobody stopped it. */
function spawnTracked(command, args, options) {
  const child = spawn(command, args, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited (and is reaped). */
async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A fresh directory for one launch's profile; remove it with removeDir. */
const tempDir = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));

/** Browsers may still be flushing files as they exit: retry instead of failing the run. */
const removeDir = (dir) => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });

const MARK = 'E2E_BROWSER_LAUNCH';

/**
 * An environment variable that every process of one launch inherits (browsers spawn helper
 * processes that outlive their parent for a moment), so they can be found and waited for.
 */
const launchMark = () => ({ [MARK]: randomBytes(8).toString('hex') });

/** Pids of live processes started with `mark` in their environment (Linux /proc). */
function markedPids(mark) {
  const needle = `${MARK}=${mark[MARK]}`;
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return []; // no /proc: nothing to check
  }
  return entries.filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.[0];
      return environ.includes(needle) && state !== 'Z';
    } catch {
      return false; // exited meanwhile, or not ours to read
    }
  });
}

/**
 * Waits for every process of a launch to exit; what is still running after `graceMs` (a helper
 * process that missed its parent's exit) is killed by pid.
 */
async function reapLaunch(mark, graceMs = 5000) {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (markedPids(mark).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pid of markedPids(mark)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

module.exports = {
  spawnTracked,
  stopChild,
  tempDir,
  removeDir,
  launchMark,
  reapLaunch,
};

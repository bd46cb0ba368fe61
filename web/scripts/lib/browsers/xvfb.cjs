// A private X server for engines that need a display: Firefox renders WebGL only with one, and
// WebKitGTK's MiniBrowser is a GTK window. `-displayfd` lets Xvfb pick a free display itself.
'use strict';

const fs = require('node:fs');
const { spawnTracked, stopChild } = require('./processes.cjs');

const XVFB_PATH = process.env.XVFB_PATH || '/usr/bin/Xvfb';

/** @returns {Promise<{ display: string, stop: () => Promise<void> }>} */
async function startXvfb() {
  if (!fs.existsSync(XVFB_PATH)) {
    throw new Error(`Xvfb not found at ${XVFB_PATH}. Install it with "apt-get install xvfb".`);
  }
  const child = spawnTracked(
    XVFB_PATH,
    ['-displayfd', '3', '-screen', '0', '1920x1200x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] }
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`Xvfb did not start in 10 s:\n${stderr}`)),
      10_000
    );
    child.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve(`:${out.trim()}`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code}:\n${stderr}`));
    });
  }).catch(async (error) => {
    await stopChild(child);
    throw error;
  });
  return { display, stop: () => stopChild(child) };
}

module.exports = { startXvfb, XVFB_PATH };

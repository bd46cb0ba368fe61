/**
 * Runs after the server suites (see scripts/test.mjs): they ran with a random
 * founder key (and previous one) and history signing key and captured every log line, HTTP
 * response and child-process output into TEST_CAPTURE_DIR. Neither key nor any
 * 8-character slice of either may appear anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TEST_CAPTURE_DIR;
const key = process.env.TEST_FOUNDER_KEY;
const secrets = {
  'founder key': process.env.TEST_FOUNDER_KEY,
  'previous founder key': process.env.TEST_FOUNDER_KEY_PREVIOUS,
  'history signing key': process.env.TEST_HISTORY_SIGNING_KEY,
};

it('found the captures of a real run', () => {
  expect(dir).toBeTruthy();
  expect(key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  const files = fs.readdirSync(dir!);
  const responses = files.filter((file) => file.endsWith('-responses.log'));
  const captured = responses.map((file) => fs.readFileSync(path.join(dir!, file), 'utf8')).join('');
  // Thousands of requests were made with that key: the scan is not looking at nothing.
  expect(captured.split('\n').length).toBeGreaterThan(2000);
  expect(files.some((file) => file.endsWith('-logs.log'))).toBe(true);
});

it.each(Object.entries(secrets))(
  'never logged or returned the %s, nor any 8-character slice of it',
  (_name, secret) => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const slices = new Set<string>();
    for (let start = 0; start + 8 <= secret!.length; start += 1)
      slices.add(secret!.slice(start, start + 8));
    const hits: string[] = [];
    for (const file of fs.readdirSync(dir!)) {
      const text = fs.readFileSync(path.join(dir!, file), 'utf8');
      for (const slice of slices) if (text.includes(slice)) hits.push(`${file}: …${slice}…`);
    }
    expect(hits).toEqual([]);
  }
);

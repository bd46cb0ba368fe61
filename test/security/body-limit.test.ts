/**
 * Limits before work: a body the plugin's routes would refuse is refused before
 * Strapi's body parser reads it or writes it to disk, and before authentication
 * runs. Raw HTTP, so a request can declare more than it sends, or stream.
 */
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { bootApp, FOUNDER_KEY, type TestApp } from '../helpers/strapi';

// Formidable (under Strapi's body parser) writes each uploaded file to os.tmpdir() under a
// random name of lower-case letters and digits. Files of that shape that were not there before.
const uploadName = /^[0-9a-z]{20,40}$/;
const listUploads = () => readdirSync(os.tmpdir()).filter((name) => uploadName.test(name));
const before = new Set(listUploads());
const tempFiles = () => listUploads().filter((name) => !before.has(name));

let app: TestApp;
let port: number;
beforeAll(async () => {
  app = await bootApp();
  await new Promise<void>((resolve) =>
    app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve)
  );
  port = (app.strapi.server.httpServer.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.stop();
});

const founder = { 'X-Founder-Key': FOUNDER_KEY };
const founderKey = () => app.strapi.plugin('platform-settings').service('founderKey');

interface Answer {
  status: number | null;
  body: { error?: { status: number; name: string } } | null;
  /** Body bytes written before the answer came (or the writer gave up). */
  sent: number;
}

/**
 * Sends the headers, then `chunks` one at a time, `gapMs` apart, stopping as soon as an
 * answer comes; `end` ends the request after the last chunk. Gives up after `timeoutMs`
 * (status null): a server that waits for the rest of a declared body never answers.
 */
const send = (
  method: string,
  url: string,
  headers: Record<string, string>,
  chunks: Buffer[],
  { gapMs = 5, end = true, timeoutMs = 5000 } = {}
) =>
  new Promise<Answer>((resolve) => {
    let sent = 0;
    let done = false;
    const finish = (answer: Omit<Answer, 'sent'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...answer, sent });
    };
    const timer = setTimeout(() => finish({ status: null, body: null }), timeoutMs);
    const request = http.request({ host: '127.0.0.1', port, method, path: url, headers });
    request.on('error', () => undefined);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let body: Answer['body'] = null;
        try {
          body = JSON.parse(text) as Answer['body'];
        } catch {
          body = null;
        }
        finish({ status: response.statusCode ?? null, body });
      });
    });
    request.flushHeaders();
    const writeNext = (index: number) => {
      if (done) return;
      if (index >= chunks.length) {
        if (end) request.end();
        return;
      }
      request.write(chunks[index], () => {
        sent += chunks[index].length;
        setTimeout(() => writeNext(index + 1), gapMs);
      });
    };
    writeNext(0);
  });

const multipartStart = (boundary: string, field: string) =>
  Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n'
  );
const multipart = (boundary: string, field: string, bytes: number) =>
  Buffer.concat([
    multipartStart(boundary, field),
    Buffer.alloc(bytes, 'a'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);

describe('on the plugin’s routes', () => {
  it('refuses a 200 MB multipart upload with 415 before it reaches the disk or authentication', async () => {
    const authenticate = jest.spyOn(founderKey(), 'authenticate');
    const boundary = 'limit-test';
    const answer = await send(
      'PUT',
      '/api/platform-settings',
      {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(200 * 1024 * 1024),
      },
      [multipartStart(boundary, 'files'), ...Array.from({ length: 8 }, () => Buffer.alloc(8192))],
      { end: false }
    );
    expect(tempFiles()).toEqual([]);
    expect(answer.status).toBe(415);
    expect(answer.body?.error).toMatchObject({ status: 415, name: 'UnsupportedMediaTypeError' });
    expect(authenticate).not.toHaveBeenCalled();
    authenticate.mockRestore();
  });

  it('refuses multipart on the admin routes too, before the admin session is checked', async () => {
    const boundary = 'limit-admin';
    const answer = await send(
      'POST',
      '/platform-settings/schedules',
      { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      [multipart(boundary, 'other', 1024)]
    );
    expect(answer.status).toBe(415);
    expect(tempFiles()).toEqual([]);
  });

  it('answers 413 from a Content-Length over 64 KB, without waiting for the body', async () => {
    const authenticate = jest.spyOn(founderKey(), 'authenticate');
    const answer = await send(
      'PUT',
      '/api/platform-settings',
      { 'Content-Type': 'application/json', 'Content-Length': String(70 * 1024) },
      [Buffer.from('{"data":{"heroSubtitle":"')],
      { end: false }
    );
    expect(answer.status).toBe(413);
    expect(answer.body?.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
    expect(authenticate).not.toHaveBeenCalled();
    authenticate.mockRestore();
  });

  it('refuses a chunked 100 KB JSON body with 413 while it streams', async () => {
    const chunks = [
      Buffer.from('{"data":{"heroSubtitle":"'),
      ...Array.from({ length: 25 }, () => Buffer.alloc(4096, 'x')),
      Buffer.from('"}}'),
    ];
    const answer = await send(
      'PUT',
      '/api/platform-settings',
      { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', ...founder },
      chunks,
      { gapMs: 20 }
    );
    expect(answer.status).toBe(413);
    expect(answer.body?.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
    // Answered once the limit was passed, not after the whole body.
    expect(answer.sent).toBeLessThan(100 * 1024);
  });

  it('still takes a chunked JSON body under the limit', async () => {
    const answer = await send(
      'PUT',
      '/api/platform-settings',
      { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', ...founder },
      [Buffer.from('{"data":{"heroTitle":'), Buffer.from('"Chunked title"}}')]
    );
    expect(answer.status).toBe(200);
    const live = await app.request.get('/api/platform-settings').expect(200);
    expect(live.body.data.heroTitle).toBe('Chunked title');
  });
});

describe('elsewhere', () => {
  it('refuses multipart outside Strapi’s upload routes, writing nothing', async () => {
    const boundary = 'limit-elsewhere';
    for (const url of ['/api/anything', '/_health', '/admin/login']) {
      const answer = await send(
        'POST',
        url,
        { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        [multipart(boundary, 'other', 4096)]
      );
      expect(tempFiles()).toEqual([]);
      expect([url, answer.status]).toEqual([url, 415]);
    }
  });

  it('removes every temp file an upload route was sent, whatever its field', async () => {
    const boundary = 'limit-upload';
    const answer = await send(
      'POST',
      '/api/upload',
      { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      [multipart(boundary, 'other', 4096)]
    );
    expect(answer.status).not.toBeNull();
    for (let waited = 0; tempFiles().length > 0 && waited < 2000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(tempFiles()).toEqual([]);
  });
});

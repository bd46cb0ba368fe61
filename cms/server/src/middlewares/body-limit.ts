/**
 * Limits before work. Registered from the plugin's `register`, so it runs ahead
 * of Strapi's middleware stack: ahead of `strapi::body` (koa-body and
 * formidable, which would otherwise buffer a JSON body up to 1 MB or write a
 * multipart upload up to 200 MB to a temp file) and ahead of the router's
 * authentication.
 *
 * - The plugin's routes (`/api/platform-settings…`, admin `/platform-settings…`)
 *   take JSON only: any other body is a 415, a declared length over
 *   MAX_BODY_BYTES a 413 at once, and a body without a length (chunked) is
 *   counted as it streams and refused with 413 the moment it passes the limit.
 *   The body is read and parsed here, so nothing downstream reads it again.
 * - Elsewhere, multipart is refused (415) except on Strapi's own upload routes,
 *   which is the only place that takes it; every temp file an upload there left
 *   is removed once the request ends, whatever its field name (Strapi only
 *   removes the `files` field's).
 */
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { MAX_BODY_BYTES, PLUGIN_ID } from '../utils/constants';

/** Paths under which Strapi (upload plugin, admin logos) takes multipart uploads. */
const multipartBases = (apiPrefix: string) => [
  '/upload',
  `${apiPrefix}/upload`,
  '/admin/project-settings',
];

/** Strapi's router matches paths case-insensitively, so the limits do too. */
const under = (path: string, bases: string[]) => {
  const lower = path.toLowerCase();
  return bases.some((base) => {
    const lowerBase = base.toLowerCase();
    return lower === lowerBase || lower.startsWith(`${lowerBase}/`);
  });
};

const refuse = (ctx: Context, status: number, name: string, message: string) => {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details: {} } };
};

/** Reads at most `limit` bytes; null as soon as the body is longer (the rest is left unread). */
const readLimited = (req: IncomingMessage, limit: number) =>
  new Promise<Buffer | null>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      cleanup();
      resolve(Buffer.concat(chunks));
    }
    function onError(error: Error) {
      cleanup();
      reject(error);
    }
    function onAborted() {
      cleanup();
      reject(new Error('the upload broke off'));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });

const tooLarge = (ctx: Context, detail: string) => {
  // The rest of the body is never read: close the connection rather than drain it.
  ctx.set('Connection', 'close');
  refuse(ctx, 413, 'PayloadTooLargeError', `${detail}; the limit is ${MAX_BODY_BYTES} bytes`);
};

/** Every temp file formidable wrote for this request, whichever field it came in. */
const captureUploads = (ctx: Context) => {
  let files: Record<string, unknown> | undefined;
  Object.defineProperty(ctx.request, 'files', {
    configurable: true,
    enumerable: true,
    get: () => files,
    set: (value: Record<string, unknown> | undefined) => {
      if (value) files = value;
    },
  });
  return () => {
    const paths = Object.values(files ?? {})
      .flat()
      .map((file) => (file as { filepath?: unknown } | null)?.filepath)
      .filter((path): path is string => typeof path === 'string');
    return Promise.all(paths.map((path) => rm(path, { force: true }))).then(() => undefined);
  };
};

export const createBodyLimit = (strapi: Core.Strapi) => {
  const apiPrefix = String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '');
  const pluginBases = [`${apiPrefix}/${PLUGIN_ID}`, `/${PLUGIN_ID}`];
  const uploadBases = multipartBases(apiPrefix);

  return async (ctx: Context, next: Next) => {
    const declared = ctx.get('content-length');
    const chunked = ctx.get('transfer-encoding') !== '';
    if (!chunked && !(Number(declared) > 0)) return next();

    if (!under(ctx.path, pluginBases)) {
      if (!ctx.is('multipart')) return next();
      if (!under(ctx.path, uploadBases)) {
        refuse(ctx, 415, 'UnsupportedMediaTypeError', 'Uploads are not accepted here');
        return;
      }
      const removeUploads = captureUploads(ctx);
      try {
        await next();
      } finally {
        void removeUploads().catch(() => undefined);
      }
      return;
    }

    if (!ctx.is('application/json', '+json')) {
      refuse(ctx, 415, 'UnsupportedMediaTypeError', 'The body must be application/json');
      return;
    }
    const encoding = ctx.get('content-encoding').toLowerCase();
    if (encoding && encoding !== 'identity') {
      refuse(ctx, 415, 'UnsupportedMediaTypeError', 'A compressed body is not accepted');
      return;
    }
    if (Number(declared) > MAX_BODY_BYTES) {
      tooLarge(ctx, `The body is ${Number(declared)} bytes`);
      return;
    }
    let raw: Buffer | null;
    try {
      raw = await readLimited(ctx.req, MAX_BODY_BYTES);
    } catch {
      refuse(ctx, 400, 'BadRequestError', 'The body broke off before its end');
      return;
    }
    if (raw === null) {
      tooLarge(ctx, 'The body is too large');
      return;
    }
    if (declared !== '' && raw.length !== Number(declared)) {
      refuse(ctx, 400, 'BadRequestError', 'The body does not match its Content-Length');
      return;
    }
    const text = raw.toString('utf8');
    let parsed: unknown = {};
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        refuse(ctx, 400, 'BadRequestError', 'The body is not well-formed JSON');
        return;
      }
    }
    ctx.request.body = parsed;
    // Read already: a request that declares no body is one Strapi's parser leaves alone.
    delete ctx.req.headers['content-length'];
    delete ctx.req.headers['transfer-encoding'];
    return next();
  };
};

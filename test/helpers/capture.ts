/**
 * When TEST_CAPTURE_DIR is set (the test runner sets it), everything the app
 * logs and every HTTP response it sends is appended there, so a final scan can
 * prove the founder key never left the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Server, IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';

const captureDir = () => process.env.TEST_CAPTURE_DIR;

export const captureFile = (kind: string) => {
  const dir = captureDir();
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${process.pid}-${kind}.log`);
};

export const appendCapture = (kind: string, text: string) => {
  const file = captureFile(kind);
  if (file) fs.appendFileSync(file, `${text}\n`);
};

/** Records every log line (at every level) and every response of this app. */
export const captureApp = (strapi: Core.Strapi) => {
  if (!captureDir()) return;
  // Everything goes to the capture file; the console keeps its usual, quieter level.
  const consoleLevel = strapi.log.level;
  for (const transport of strapi.log.transports) transport.level = consoleLevel;
  strapi.log.level = 'silly';
  const logs = captureFile('logs')!;
  // Strapi's logger is winston; a stream transport keeps the formatted lines.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const winston = require('winston') as typeof import('winston');
  strapi.log.add(
    new winston.transports.Stream({
      stream: fs.createWriteStream(logs, { flags: 'a' }),
      level: 'silly',
    })
  );
  const responses = captureFile('responses')!;
  (strapi.server.httpServer as Server).on(
    'request',
    (_req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      const write = res.write.bind(res);
      const end = res.end.bind(res);
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (chunk) chunks.push(Buffer.from(chunk as string));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk: unknown, ...rest: unknown[]) => {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
        fs.appendFileSync(
          responses,
          `${JSON.stringify(res.getHeaders())}\n${Buffer.concat(chunks).toString('utf8')}\n`
        );
        return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
      }) as typeof res.end;
    }
  );
};

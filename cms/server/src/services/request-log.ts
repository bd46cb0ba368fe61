/**
 * One JSON line per request, written the way production needs it: cheaply.
 * Strapi's logger (winston) formats and writes each line synchronously on the
 * request path; here pino serialises it and sonic-boom buffers it and writes it
 * asynchronously to standard output, a few kilobytes at a time. The buffer is
 * written out at least every second, when the server stops, and when the
 * process exits (crashes included), so no line is lost. Lines have the same
 * shape as Strapi's JSON lines (`level`, `message`, `timestamp`, fields).
 */
import pino, { type Logger } from 'pino';
import type { Writable } from 'node:stream';

export interface RequestRecord {
  method: string;
  route: string;
  path: string;
  status: number;
  seconds: number;
  requestId?: string;
}

const FLUSH_EVERY_MS = 1000;

const createLogger = (destination: pino.DestinationStream) =>
  pino(
    {
      base: undefined,
      messageKey: 'message',
      formatters: { level: (label) => ({ level: label }) },
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    },
    destination
  );

export const createRequestLogService = () => {
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  let logger: Logger = createLogger(stdout);
  const flushStdout = () => {
    try {
      stdout.flushSync();
    } catch {
      // Not ready yet (nothing written), or already closed: nothing to flush.
    }
  };
  const timer = setInterval(() => stdout.flush(), FLUSH_EVERY_MS);
  timer.unref();
  process.once('exit', flushStdout);

  return {
    write(record: RequestRecord) {
      const durationMs = Math.round(record.seconds * 1e4) / 10;
      logger.info(
        {
          event: 'http.request',
          method: record.method,
          route: record.route,
          path: record.path,
          status: record.status,
          durationMs,
          requestId: record.requestId,
        },
        `${record.method} ${record.path} ${record.status} ${durationMs} ms`
      );
    },

    /** Writes out what is buffered (on shutdown). */
    flush: flushStdout,

    /** Sends the lines to another stream until the returned function is called (tests, tee). */
    divertTo(stream: Writable) {
      logger = createLogger(stream as unknown as pino.DestinationStream);
      return () => {
        logger = createLogger(stdout);
      };
    },

    stop() {
      clearInterval(timer);
      flushStdout();
      process.removeListener('exit', flushStdout);
    },
  };
};

export type RequestLogService = ReturnType<typeof createRequestLogService>;

/**
 * Graceful shutdown. On SIGTERM, Strapi runs the plugins' `destroy` and then
 * destroys every open socket at once, so the draining happens first, here:
 * readiness turns 503 (load balancers stop sending), new responses carry
 * `Connection: close` (keep-alive connections end after their current
 * request), the server stops accepting connections, and in-flight requests —
 * writes included — finish before Strapi goes on.
 */
import type { Server } from 'node:http';
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../utils/constants';

export const createShutdownService = ({ strapi }: { strapi: Core.Strapi }) => {
  let draining = false;
  let inFlight = 0;
  const idleWaiters = new Set<() => void>();
  const closers = new Set<() => void | Promise<void>>();

  const config = (key: string, fallback: number) =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.${key}`, fallback));

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  return {
    isDraining: () => draining,

    /** Called for every HTTP request by the outermost listener (see fast-settings-get.ts). */
    track(response: {
      once(event: 'close', listener: () => void): unknown;
      setHeader(name: string, value: string): unknown;
    }) {
      if (draining) response.setHeader('Connection', 'close');
      inFlight += 1;
      response.once('close', () => {
        inFlight -= 1;
        if (inFlight === 0) idleWaiters.forEach((resolve) => resolve());
      });
    },

    /** Long-lived work to end when draining starts (event streams). */
    onDrain(close: () => void | Promise<void>) {
      closers.add(close);
      return () => closers.delete(close);
    },

    /** From the plugin's `destroy`: returns once nothing is in flight (or the timeout passed). */
    async drain(server: Server) {
      if (draining) return;
      draining = true;
      const delayMs = config('shutdownDelayMs', 0);
      const timeoutMs = config('shutdownTimeoutMs', 10_000);
      // Time for load balancers polling readiness to take this instance out.
      if (delayMs > 0) await sleep(delayMs);
      await Promise.all([...closers].map((close) => close()));
      server.close();
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => idleWaiters.add(resolve)),
          sleep(timeoutMs),
        ]);
      }
      if (inFlight > 0) {
        strapi.log.warn(`platform-settings: shutting down with ${inFlight} request(s) unfinished`);
      }
    },
  };
};

export type ShutdownService = ReturnType<typeof createShutdownService>;

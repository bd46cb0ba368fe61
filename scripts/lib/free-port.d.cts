/** A port nothing listens on right now (on `host`, 127.0.0.1 by default). */
export function freePort(host?: string): Promise<number>;

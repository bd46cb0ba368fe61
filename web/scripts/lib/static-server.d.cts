export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startStaticServer(options: {
  root: string;
  port?: number;
  host?: string;
  /** Test mode only: a script put first in <head> of every HTML page. */
  headScript?: string;
}): Promise<StaticServer>;

// The subscribers of `npm run bench:events`, in a process of their own (forked by
// scripts/bench-events.mjs, driven over IPC) so the instance's CPU and memory are its own.
// Each subscriber is a bare socket speaking just enough HTTP/1.1: the events endpoint
// answers with one long chunked body, and all a subscriber needs from it is each event's
// `id:` line (the version) and the moment it arrived.
//
//   → { type: 'open', url, count, perAddress, concurrency }  ← { type: 'opened', open, refused, failed, ms }
//   → { type: 'expect', version }                            ← { type: 'received', version, times }
//   → { type: 'close' }                                      ← { type: 'closed' }
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const now = () => performance.timeOrigin + performance.now();
const ID_LINE = /(?:^|\n)id: (\d+)\n/g;

/** @type {Set<Subscriber>} */
const subscribers = new Set();
/** version → arrival time per subscriber that has it, filled as events arrive. */
const arrivals = new Map();
let expecting = null;

class Subscriber {
  constructor(url, localAddress, onReady) {
    const { hostname, port, pathname } = new URL(url);
    this.tail = '';
    this.status = null;
    this.socket = net.connect({ host: hostname, port: Number(port), localAddress });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () =>
      this.socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
          'Accept: text/event-stream\r\nCache-Control: no-store\r\n\r\n'
      )
    );
    this.socket.on('data', (chunk) => {
      const text = this.tail + chunk.toString('latin1');
      if (this.status === null) {
        this.status = Number(text.slice(9, 12));
        if (this.status !== 200) {
          this.socket.destroy(); // a 503 leaves the connection open for keep-alive
          return onReady(this.status === 503 ? 'refused' : 'failed');
        }
      }
      const at = now();
      let first = null;
      for (const match of text.matchAll(ID_LINE)) {
        const version = Number(match[1]);
        first ??= version;
        arrivals.get(version)?.push(at);
      }
      // An id line cut between two chunks: keep the end of this one for the next.
      this.tail = text.slice(-32);
      if (first !== null) onReady('open');
      if (expecting !== null) checkExpected();
    });
    this.socket.on('error', () => onReady('failed'));
    this.socket.on('close', () => subscribers.delete(this));
  }
}

/** Opens `count` streams, `concurrency` at a time; ready once each has had its first event. */
async function open({ url, count, perAddress, concurrency }) {
  const started = now();
  const outcome = { open: 0, refused: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      // 127.1.x.y: as many loopback source addresses as the per-address cap needs.
      const n = Math.floor(i / perAddress);
      const localAddress = `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      const result = await new Promise((resolve) => {
        let done = false;
        const subscriber = new Subscriber(url, localAddress, (state) => {
          if (!done) resolve(state);
          done = true;
        });
        subscribers.add(subscriber);
      });
      outcome[result] += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ...outcome, ms: now() - started };
}

function checkExpected() {
  const times = arrivals.get(expecting);
  if (times.length < subscribers.size) return;
  const version = expecting;
  expecting = null;
  arrivals.delete(version);
  process.send({ type: 'received', version, times });
}

process.on('message', async (message) => {
  if (message.type === 'open') {
    process.send({ type: 'opened', ...(await open(message)) });
  } else if (message.type === 'expect') {
    arrivals.set(message.version, []);
    expecting = message.version;
  } else if (message.type === 'report') {
    // What arrived so far (the bench's deadline passed without every subscriber having it).
    const times = arrivals.get(message.version) ?? [];
    expecting = null;
    process.send({ type: 'received', version: message.version, times, partial: true });
  } else if (message.type === 'close') {
    for (const subscriber of subscribers) subscriber.socket.destroy();
    process.send({ type: 'closed' });
  }
});

/**
 * One writer per type at a time in this process, queued in memory. The
 * database lock (chain head row, PostgreSQL advisory lock) is what serialises
 * writers across instances; but a writer waiting for it holds a pooled
 * connection, so a burst of writers on one type would fill the pool with
 * waiters and starve everything else (requests time out acquiring a
 * connection). Queued here, they wait without one.
 *
 * Not used inside a caller's own transaction: it already holds its connection,
 * and it may hold the database lock from an earlier write of the same type,
 * which a queued writer would wait for while the caller waits for the queue.
 */
export const createWriterQueue = () => {
  const tails = new Map<string, Promise<void>>();

  return async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    tails.set(key, tail);
    await previous;
    try {
      return await run();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
};

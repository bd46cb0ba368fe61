/**
 * Carries "why and by whom" from a controller down to the document-service
 * middleware that writes the version, without widening Strapi's own API.
 * Code that calls `strapi.documents()` directly gets no context and is recorded
 * as a plain update by the admin user of the current request, or by `system`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChangeAuthor, ChangeType, HistoryEntry } from '../../../shared/contracts/settings';

export interface ChangeContext {
  changeType?: Exclude<ChangeType, 'create'>;
  author?: ChangeAuthor;
  note?: string | null;
  restoredFrom?: number;
  /** Strong ETags from If-Match; the write is refused with 412 unless one names the live version. */
  ifMatch?: string[];
  /** From the Idempotency-Key header: a retry with the same key replays the first result. */
  idempotency?: { key: string; requestHash: string };
  /** Filled in when `idempotency` names a change that was already made. */
  replayed?: HistoryEntry;
  /** Filled in by the versioning middleware once the change is written (left empty when nothing changed). */
  committed?: { version: number; changedFields: string[]; row: Record<string, unknown> };
}

const storage = new AsyncLocalStorage<ChangeContext>();

export const withChangeContext = <T>(context: ChangeContext, run: () => Promise<T>): Promise<T> =>
  storage.run(context, run);

export const currentChangeContext = (): ChangeContext | undefined => storage.getStore();

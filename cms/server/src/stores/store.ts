/**
 * What `versioning.commit` needs of a versioned type's storage. Two stores
 * implement it: the settings' rows, written in place with plain SQL
 * (settings-store.ts), and any other single type, written through Strapi's
 * Document Service (document-store.ts). The commit pipeline is the same for
 * both; only how a write is applied differs.
 */
import type { Knex } from 'knex';

/** A published document as the chain sees it: its version and its content as a snapshot. */
export interface VersionState {
  documentId: string;
  version: number;
  updatedAt: string;
  data: Record<string, unknown>;
}

/** What a write left published, and what changed. */
export interface Applied<State extends VersionState, Written> {
  /** What is published after the write (its `version` is still the old one). */
  after: State;
  /** Empty when nothing published changed: no version. */
  changedFields: string[];
  /** What the write hands back to its caller (Strapi's answer for a Document Service write). */
  written: Written;
}

export interface VersionStore<State extends VersionState, Write, Written> {
  /** What is published now (inside `db` when given; the Document Service joins the transaction itself). */
  readLive(db?: Knex): Promise<State | null>;
  /** The strong ETag `If-Match` is compared with. */
  etagOf(state: State): string;
  /** Refuses a write that cannot apply to what is published (before any precondition). */
  check?(write: Write, live: State | null): void;
  /** Applies the write under the lock; a write that changes nothing published leaves the version as it was. */
  apply(trx: Knex.Transaction, write: Write, live: State | null): Promise<Applied<State, Written>>;
  /** Sets `version` on the document's rows (draft and published). */
  setVersion(trx: Knex, documentId: string, version: number): Promise<unknown>;
  /** The caller's copy of what was written, with the new version. */
  withVersion?(written: Written, version: number): Written;
}

/**
 * Marks the writes `versioning.commit` makes itself (through the Document
 * Service), so the document-service middleware lets them through instead of
 * turning them into a second commit.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const insideCommit = new AsyncLocalStorage<true>();

export const isInsideCommit = () => insideCommit.getStore() === true;
export const insideCommitScope = <T>(run: () => Promise<T>) => insideCommit.run(true, run);

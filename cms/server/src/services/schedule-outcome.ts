/**
 * What a due schedule's run ends as, decided from the run's result or error alone:
 * the status, failure reason and message its row records. Pure, so every case is
 * unit-tested; the schedules service writes the decision to the row, the log and
 * the metrics.
 */
import type { ScheduleFailureReason } from '../../../shared/contracts/settings';
import { errors, type FieldError } from '../utils/errors';
import type { AnyCommitResult } from './versioning';

/** The version a run left live, and what the schedule's row says about it. */
export const doneOutcome = (
  result: AnyCommitResult,
  late: boolean
): { version: number; message: string } => {
  const version =
    result.outcome === 'committed'
      ? result.committed.version
      : result.outcome === 'unchanged'
        ? result.live.version
        : result.entry.version;
  const message =
    result.outcome === 'committed'
      ? `Made version ${version}${late ? ', late' : ''}`
      : `Nothing to change: live was already as scheduled (version ${version})`;
  return { version, message };
};

export type FailedRunOutcome =
  /** Not the change's fault (the database, say): back to pending, tried again. */
  | { status: 'pending' }
  | {
      status: 'skipped' | 'failed';
      reason: ScheduleFailureReason | null;
      message: string;
    };

/** An error the API would answer with a 4xx: the change is not valid (any more). */
const statusOf = (error: unknown): number | undefined =>
  (error as { status?: number; statusCode?: number }).status ??
  (error as { statusCode?: number }).statusCode ??
  (error instanceof errors.NotFoundError ? 404 : undefined);

/** The reason of a 4xx, with the fields it names. */
const reasonOf = (error: unknown) => {
  const fields = (error as { details?: { errors?: FieldError[] } }).details?.errors ?? [];
  const named = fields.map((field) => `${field.path.join('.')} ${field.message}`).join('; ');
  return named ? `${(error as Error).message}: ${named}` : (error as Error).message;
};

/**
 * A run that threw: a 412 (live moved past `ifVersion`) is skipped, another 4xx
 * fails (403: its author may no longer make it; otherwise the change is invalid),
 * and anything else is tried again.
 */
export const failedRunOutcome = (error: unknown, ifVersion: number | null): FailedRunOutcome => {
  const status = statusOf(error);
  if (status === undefined || status >= 500) return { status: 'pending' };
  if (status === 412) {
    return {
      status: 'skipped',
      reason: null,
      message: `Skipped: live is no longer version ${ifVersion}`,
    };
  }
  return {
    status: 'failed',
    reason: status === 403 ? 'forbidden' : 'invalid',
    message: `Failed: ${reasonOf(error)}`,
  };
};

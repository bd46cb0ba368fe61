/**
 * Request and response types of the platform-settings API, shared by the
 * server (controllers end with `satisfies X.Response`) and the admin UI.
 */

import type { SettingsFieldValues } from '../settings-fields';

export type HexColor = string;

/** Every field an editor or a script may change. Names are the public API contract (see settings-fields.ts). */
export type SettingsFields = SettingsFieldValues;

/** The live settings as the API serves them. */
export interface Settings extends SettingsFields {
  version: number;
  updatedAt: string;
}

export type ChangeType = 'create' | 'update' | 'rollback';

export interface ChangeAuthor {
  /** `api-token` and `user` (Users & Permissions) write versioned types through Strapi's own REST routes. */
  kind: 'founder-key' | 'admin' | 'system' | 'api-token' | 'user';
  id?: number | string;
  name?: string;
  /** Set when the change was made by a schedule this admin created. */
  scheduled?: { id: number; runAt: string };
}

export interface HistoryEntry {
  version: number;
  changeType: ChangeType;
  /** Snapshot of every editable field right after the change. */
  data: Record<string, unknown>;
  changedFields: string[];
  restoredFrom: number | null;
  author: ChangeAuthor;
  note: string | null;
  schemaVersion: number;
  pinned: boolean;
  pinLabel: string | null;
  hash: string;
  createdAt: string;
}

export interface FieldDiff {
  field: string;
  from: unknown;
  to: unknown;
}

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export interface ErrorBody {
  data: null;
  error: {
    status: number;
    name: string;
    message: string;
    details: Record<string, unknown>;
  };
}

export declare namespace GetSettings {
  interface Response {
    data: Settings;
    meta: Record<string, never>;
  }
}

export declare namespace UpdateSettings {
  interface Request {
    data: Partial<SettingsFields>;
    note?: string;
  }
  interface Response {
    data: Settings;
    meta: { changed: boolean; changedFields: string[] };
  }
}

export declare namespace DraftSettings {
  /** `GET /api/platform-settings/draft` and the answer to `PUT …?status=draft`. */
  interface Response {
    /** The draft's fields; `version` is the live version it is based on. */
    data: Settings;
    meta: { status: 'draft'; liveVersion: number; changed: boolean; diff: FieldDiff[] };
  }
}

export declare namespace PublishDraft {
  interface Request {
    note?: string;
  }
  /** The answer is UpdateSettings.Response. */
  interface DryRunResponse {
    data: { diff: FieldDiff[] };
    meta: { liveVersion: number };
  }
}

export declare namespace PreviewVersion {
  interface Response {
    data: Settings;
    meta: { status: 'version'; version: number };
  }
}

export declare namespace ListHistory {
  interface Query {
    page?: number;
    pageSize?: number;
    pinned?: boolean;
  }
  interface Response {
    data: HistoryEntry[];
    meta: { pagination: Pagination; liveVersion: number };
  }
}

export declare namespace GetHistoryEntry {
  interface Response {
    data: HistoryEntry;
    meta: Record<string, never>;
  }
}

export declare namespace Rollback {
  interface Request {
    note?: string;
  }
  interface Response {
    data: Settings;
    meta: { restoredFrom: number; skippedFields: string[] };
  }
  interface DryRunResponse {
    data: { diff: FieldDiff[] };
    meta: {
      restoredFrom: number;
      skippedFields: string[];
      /** Switches the old snapshot left empty: restored as their default. */
      defaultedFields: string[];
      /** Unpublished changes in the draft that the rollback would discard (live → draft). */
      discardedDraftChanges: FieldDiff[];
      liveVersion: number;
    };
  }
}

export declare namespace CompareVersions {
  interface Response {
    data: { from: number; to: number; diff: FieldDiff[] };
    meta: Record<string, never>;
  }
}

/** Why verify says the history is not what the chain proves (see README, "Proving the history"). */
export type BreakReason =
  | 'missing'
  | 'altered'
  | 'forged-gap'
  | 'head-mismatch'
  | 'live-mismatch'
  | 'wrong-key'
  | 'unsigned'
  | 'head-missing';

/** Something an operator did to the chain with the key (kept in the signed head). */
export interface ChainEventSummary {
  kind: 'adopt' | 'rotate' | 'restore-epoch';
  at: string;
  atVersion: number;
  fromKeyId?: string;
  toKeyId?: string;
  resigned?: { from: number; to: number } | null;
  trusted?: boolean;
  note?: string;
}

export type VerifyReport =
  | {
      ok: true;
      /** History rows checked. */
      versions: number;
      /** Versions covered by checkpoints (archived), and how many checkpoints. */
      archived: { versions: number; checkpoints: number };
      head: { version: number; mac: string };
      /** Public id of the key the chain is signed with. */
      keyId: string;
      /** Adoptions, key rotations and restore epochs, oldest first. */
      events: ChainEventSummary[];
    }
  | {
      ok: false;
      versions: number;
      /** The first version that is not what the chain proves. */
      brokenAt: number;
      reason: BreakReason;
      message: string;
    };

export declare namespace VerifyHistory {
  interface Response {
    data: VerifyReport;
    meta: Record<string, never>;
  }
}

/*
 * Admin API (`type: 'admin'` routes under /platform-settings, admin JWT + RBAC).
 * History list, entry and rollback reuse the REST shapes above.
 */

export declare namespace CompareVersions {
  interface Query {
    from: number;
    /** Defaults to the live version. */
    to?: number;
  }
}

export declare namespace PinVersion {
  interface Request {
    label?: string | null;
  }
  interface Response {
    data: HistoryEntry;
    meta: Record<string, never>;
  }
}

export declare namespace MintPreviewToken {
  interface Request {
    scope: 'draft' | 'version';
    version?: number;
  }
  interface Response {
    /** Send as `X-Preview-Token`; read-only, for the draft or that one version. */
    data: { token: string; expiresAt: string };
    meta: Record<string, never>;
  }
}

/** `GET /platform-settings/preview-site` (admin): where previews open, if the host app configured one. */
export declare namespace GetPreviewSite {
  interface Response {
    /** The site's URL (config/admin.ts `preview`); null when previews are off or not set up by the plugin's helper. */
    data: { url: string | null };
    meta: Record<string, never>;
  }
}

/**
 * A change prepared for a date and time (admin API, `/platform-settings/schedules` for the
 * settings, `/platform-settings/types/<key>/schedules` for any versioned type). `patch` is
 * the settings' only.
 */
export type ScheduleFailureReason = 'tampered' | 'invalid' | 'forbidden';

export interface Schedule {
  id: number;
  kind: 'publish' | 'rollback' | 'patch';
  /** ISO 8601, UTC. */
  runAt: string;
  /** patch: the fields to set. */
  data: Record<string, unknown> | null;
  /** rollback: the version to restore. */
  targetVersion: number | null;
  /** Only if the live version is still this one; skipped otherwise. */
  ifVersion: number | null;
  note: string | null;
  author: ChangeAuthor;
  /** `running`: claimed by an instance that is making the change now (it can no longer be cancelled). */
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
  /**
   * Why a failed schedule failed: `tampered` (its row does not match what the server
   * signed when it was created), `invalid` (the change is not valid, or no longer),
   * `forbidden` (its author may not, or no longer, make that change). Null otherwise.
   */
  failureReason: ScheduleFailureReason | null;
  resultVersion: number | null;
  resultMessage: string | null;
  ranAt: string | null;
  createdAt: string;
}

export declare namespace ListSchedules {
  interface Response {
    data: { pending: (Schedule & { diff: FieldDiff[] })[]; past: Schedule[] };
    meta: Record<string, never>;
  }
}

export declare namespace CreateSchedule {
  interface Request {
    kind: Schedule['kind'];
    runAt: string;
    data?: Record<string, unknown>;
    targetVersion?: number;
    ifVersion?: number;
    note?: string;
  }
  interface Response {
    data: Schedule;
    meta: Record<string, never>;
  }
}

/** A versioned type as the admin page lists it (`GET /platform-settings/types`). */
export interface VersionedTypeSummary {
  /** Its path segment: `/platform-settings/types/<key>/…` in the admin API. */
  key: string;
  uid: string;
  displayName: string;
  /** Its public REST path (`/api/home-page`). */
  publicPath: string;
  /** The RBAC actions guarding its history: reading it; rolling back and pinning; scheduling. */
  actions: { read: string; rollback: string; schedule: string };
}

export declare namespace ListVersionedTypes {
  interface Response {
    /** Only the types the admin may read, the settings first. */
    data: VersionedTypeSummary[];
    meta: Record<string, never>;
  }
}

/**
 * `POST /platform-settings/types/<key>/rollback/:version` (admin): the settings answer
 * with `Rollback`'s shapes; other types with the restored snapshot and the references
 * (media, relations) that no longer resolve.
 */
export declare namespace TypeRollback {
  interface MissingReference {
    path: string;
    target: string;
    documentId: string;
  }
  interface Response {
    data: { version: number } & Record<string, unknown>;
    meta: {
      restoredFrom: number;
      skippedFields: string[];
      missingReferences?: MissingReference[];
    };
  }
  interface DryRunResponse {
    data: { diff: FieldDiff[] };
    meta: {
      restoredFrom: number;
      skippedFields: string[];
      liveVersion: number;
      missingReferences?: MissingReference[];
      defaultedFields?: string[];
      discardedDraftChanges?: FieldDiff[];
    };
  }
}

export declare namespace GetLiveSettings {
  interface Response {
    /** `lastChange` is the history entry of the live version, null only if it was archived. */
    data: { settings: Settings; lastChange: HistoryEntry | null };
    meta: Record<string, never>;
  }
}

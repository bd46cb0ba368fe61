/**
 * Request and response types of the platform-settings API, shared by the
 * server (controllers end with `satisfies X.Response`) and the admin UI.
 */

export type HexColor = string;

/** Every field an editor or a script may change. Names are the public API contract. */
export interface SettingsFields {
  siteName: string;
  tagline: string | null;
  heroTitle: string;
  heroSubtitle: string | null;
  ctaLabel: string | null;
  ctaUrl: string | null;
  primaryColor: HexColor | null;
  accentColor: HexColor | null;
  backgroundColor: HexColor | null;
  hero3dEnabled: boolean;
  hero3dDensity: number;
  hero3dSpeed: number;
  maintenanceMode: boolean;
}

/** The live settings as the API serves them. */
export interface Settings extends SettingsFields {
  version: number;
  updatedAt: string;
}

export type ChangeType = 'create' | 'update' | 'rollback';

export interface ChangeAuthor {
  kind: 'founder-key' | 'admin' | 'system';
  id?: number | string;
  name?: string;
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
    meta: { restoredFrom: number; skippedFields: string[]; liveVersion: number };
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
  | 'unsigned';

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

export declare namespace GetLiveSettings {
  interface Response {
    /** `lastChange` is the history entry of the live version, null only if it was archived. */
    data: { settings: Settings; lastChange: HistoryEntry | null };
    meta: Record<string, never>;
  }
}

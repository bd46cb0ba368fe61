/**
 * Schedules are signed intent: at creation the server signs what a schedule
 * will do (kind, time, data, target, condition, author, note), so a row
 * inserted or edited straight in the database never runs. Pure functions only.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './mac';
import { toIso } from './store';
import type { SigningKey } from './types';
import { SETTINGS_UID } from '../utils/constants';

export const SCHEDULES_TABLE = 'platform_settings_schedules';

/**
 * The layout of the signed data. It is itself signed, so a field added later
 * (a new format) never makes older rows unverifiable, and a row cannot claim
 * an older format to drop a field from what is checked.
 */
export const SCHEDULE_MAC_FORMAT = 1;

/** What a schedule row signs: everything that decides what it does, and which row it is. */
export interface SignedSchedule {
  documentId: string;
  /** The uid of the versioned type it changes. */
  type: string;
  kind: string;
  /** ISO 8601. */
  runAt: string;
  data: unknown;
  targetVersion: number | null;
  ifVersion: number | null;
  author: unknown;
  note: string | null;
  /** ISO 8601. */
  createdAt: string;
}

/**
 * The type it changes is signed for every type but the settings: a settings schedule signs
 * exactly what it signed before other types had schedules (so rows made then still verify),
 * and any other type's MAC covers its uid, so moving a row to or from another type breaks it.
 */
const typeOf = (schedule: SignedSchedule) =>
  schedule.type === SETTINGS_UID ? {} : { versionedType: schedule.type };

const signedData = (macFormat: number, schedule: SignedSchedule) =>
  canonicalJson({
    type: 'schedule',
    macFormat,
    ...typeOf(schedule),
    documentId: schedule.documentId,
    kind: schedule.kind,
    runAt: schedule.runAt,
    data: schedule.data ?? null,
    targetVersion: schedule.targetVersion ?? null,
    ifVersion: schedule.ifVersion ?? null,
    author: schedule.author ?? null,
    note: schedule.note ?? null,
    createdAt: schedule.createdAt,
  });

export const scheduleMac = (
  secret: string,
  schedule: SignedSchedule,
  macFormat = SCHEDULE_MAC_FORMAT
): string => createHmac('sha256', secret).update(signedData(macFormat, schedule)).digest('hex');

/** JSON columns come back parsed or as text, depending on the database; unreadable JSON reads as null. */
const parseJson = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
};

/** What a stored row's MAC covers, read as the database gives it back (its date precision, its JSON). */
export const signedScheduleFromDb = (raw: Record<string, unknown>): SignedSchedule => ({
  documentId: String(raw.document_id),
  type: raw.type_uid == null ? SETTINGS_UID : String(raw.type_uid),
  kind: String(raw.kind),
  runAt: toIso(raw.run_at),
  data: raw.data == null ? null : parseJson(raw.data),
  targetVersion: raw.target_version == null ? null : Number(raw.target_version),
  ifVersion: raw.if_version == null ? null : Number(raw.if_version),
  author: parseJson(raw.author),
  note: (raw.note as string | null) ?? null,
  createdAt: toIso(raw.created_at),
});

/**
 * Only the current key verifies a schedule: one signed with a key since rotated
 * out is signed again by the operator's `history:adopt`, which checks it under
 * that key first. So a leaked old key can never schedule anything.
 */
export interface ScheduleKeys {
  current: SigningKey;
}

export const verificationKeys = (keys: ScheduleKeys): SigningKey[] => [keys.current];

/**
 * Whether `mac` is this schedule's MAC under one of the keys, in the format
 * it names. Unknown formats, a missing MAC or a key id no key has all fail.
 */
export const verifyScheduleMac = (
  keys: ScheduleKeys,
  schedule: SignedSchedule,
  signature: { mac: string | null; signedWith: string | null; macFormat: number | null }
): boolean => {
  const { mac, signedWith, macFormat } = signature;
  if (!mac || !signedWith || macFormat !== SCHEDULE_MAC_FORMAT) return false;
  const key = verificationKeys(keys).find((candidate) => candidate.id === signedWith);
  if (!key) return false;
  const expected = Buffer.from(scheduleMac(key.secret, schedule, macFormat), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

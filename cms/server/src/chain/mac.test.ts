import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import {
  canonicalJson,
  checkpointMac,
  CURRENT_MAC_FORMAT,
  headSignature,
  keyIdOf,
  legacyRowHash,
  macFormatOf,
  rowMac,
} from './mac';
import type { ChainHead, ChainRow, Checkpoint } from './types';

const secret = 'a'.repeat(64);
const otherSecret = 'b'.repeat(64);

const row: ChainRow = {
  version: 3,
  changeType: 'update',
  data: { siteName: 'Acme', hero3dDensity: 1200, maintenanceMode: false, tagline: null },
  changedFields: ['siteName'],
  restoredFrom: null,
  author: { kind: 'admin', id: 1, name: 'Ada' },
  note: 'why',
  schemaVersion: 1,
  createdAt: '2025-01-02T03:04:05.678Z',
  idempotencyKey: 'key-1',
  requestHash: 'f'.repeat(64),
  hash: '',
  signedWith: keyIdOf(secret),
  macFormat: CURRENT_MAC_FORMAT,
};

/** Rebuilds a value with its object keys in another order, at every depth. */
const shuffled = (value: unknown, seed: number): unknown => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => shuffled(item, seed));
  const keys = Object.keys(value);
  const rotated = keys.map((_, i) => keys[(i + seed) % keys.length]);
  return Object.fromEntries(
    (seed % 2 ? rotated.reverse() : rotated).map((key) => [
      key,
      shuffled((value as Record<string, unknown>)[key], seed + 1),
    ])
  );
};

describe('canonicalJson', () => {
  it('sorts object keys at every depth, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}'
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  it('does not depend on key order, and reads back as the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(shuffled(value, seed))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      })
    );
  });

  it('gives two values the same text only when they are equal (so a change always shows)', () => {
    const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(isDeepStrictEqual(asJson(a), asJson(b)));
      })
    );
  });
});

describe('rowMac', () => {
  const mac = rowMac(secret, 'prev', row);

  it('is an HMAC-SHA256 in hex, the same for the same row, key and link', () => {
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(rowMac(secret, 'prev', shuffled(row, 1) as ChainRow)).toBe(mac);
  });

  it.each<[string, Partial<ChainRow>]>([
    ['version', { version: 4 }],
    ['changeType', { changeType: 'rollback' }],
    ['a snapshot value', { data: { ...row.data, siteName: 'Evil' } }],
    ['a snapshot field added', { data: { ...row.data, extra: 1 } }],
    ['changedFields', { changedFields: ['tagline'] }],
    ['restoredFrom', { restoredFrom: 1 }],
    ['author', { author: { kind: 'admin', id: 2, name: 'Ada' } }],
    ['note', { note: null }],
    ['schemaVersion', { schemaVersion: 2 }],
    ['createdAt', { createdAt: '2025-01-02T03:04:05.679Z' }],
    ['idempotencyKey', { idempotencyKey: 'key-2' }],
    ['requestHash', { requestHash: null }],
    ['macFormat (set back to 1)', { macFormat: 1 }],
  ])('changes when %s changes', (_field, change) => {
    expect(rowMac(secret, 'prev', { ...row, ...change })).not.toBe(mac);
  });

  it('changes with the previous MAC and with the key, not with what lies outside the chain', () => {
    expect(rowMac(secret, 'other', row)).not.toBe(mac);
    expect(rowMac(otherSecret, 'prev', row)).not.toBe(mac);
    expect(
      rowMac(secret, 'prev', {
        ...row,
        pinned: true,
        pinLabel: 'launch',
        hash: 'x',
        signedWith: 'y',
      })
    ).toBe(mac);
  });

  it('reads format null as 1, and signs nothing for a format it does not know', () => {
    expect(rowMac(secret, 'prev', { ...row, macFormat: null })).toBe(
      rowMac(secret, 'prev', { ...row, macFormat: 1 })
    );
    expect(rowMac(secret, 'prev', { ...row, macFormat: 99 })).toBe('');
    expect(macFormatOf(undefined)).toBe(1);
    expect(macFormatOf(2)).toBe(2);
    expect(macFormatOf(3)).toBeNull();
  });
});

describe('checkpointMac and headSignature', () => {
  const checkpoint: Checkpoint = {
    fromVersion: 2,
    toVersion: 5,
    prevMac: '1'.repeat(64),
    lastMac: '5'.repeat(64),
    fileDigest: 'd'.repeat(64),
    fileName: 'history-v0000000002-v0000000005.jsonl.gz',
    rowCount: 4,
    rowsKeyId: keyIdOf(secret),
    archivedAt: '2025-01-02T03:04:05.678Z',
    mac: '',
    signedWith: keyIdOf(secret),
    macFormat: 2,
  };
  const head: ChainHead = {
    version: 5,
    mac: '5'.repeat(64),
    keyId: keyIdOf(secret),
    events: [],
    macFormat: 2,
    signature: '',
  };

  it.each<[string, Partial<Checkpoint>]>([
    ['fromVersion', { fromVersion: 3 }],
    ['toVersion', { toVersion: 6 }],
    ['prevMac', { prevMac: '0'.repeat(64) }],
    ['lastMac', { lastMac: '0'.repeat(64) }],
    ['fileDigest', { fileDigest: null }],
    ['rowCount', { rowCount: 3 }],
    ['macFormat', { macFormat: null }],
  ])("a checkpoint's MAC covers %s", (_field, change) => {
    expect(checkpointMac(secret, { ...checkpoint, ...change })).not.toBe(
      checkpointMac(secret, checkpoint)
    );
  });

  it.each<[string, Partial<ChainHead>]>([
    ['version', { version: 6 }],
    ['mac', { mac: '6'.repeat(64) }],
    ['keyId', { keyId: 'x' }],
    [
      'events',
      {
        events: [{ kind: 'adopt', at: '2025-01-01T00:00:00.000Z', atVersion: 5, atMac: 'm' }],
      },
    ],
  ])("the head's signature covers %s", (_field, change) => {
    expect(headSignature(secret, { ...head, ...change })).not.toBe(headSignature(secret, head));
  });

  it('key ids are short, public and differ per key', () => {
    expect(keyIdOf(secret)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(secret)).toBe(keyIdOf(secret));
    expect(keyIdOf(otherSecret)).not.toBe(keyIdOf(secret));
    expect(keyIdOf(secret)).not.toContain(secret.slice(0, 8));
  });

  it('the legacy hash needs no key and covers the snapshot', () => {
    expect(legacyRowHash('', row)).toMatch(/^[0-9a-f]{64}$/);
    expect(legacyRowHash('', { ...row, data: { siteName: 'Evil' } })).not.toBe(
      legacyRowHash('', row)
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  checkpointMac,
  CURRENT_MAC_FORMAT,
  headSignature,
  keyIdOf,
  legacyRowHash,
  rowMac,
} from './mac';
import type { ChainEvent, ChainHead, ChainRow, Checkpoint, KeyRing, SigningKey } from './types';
import {
  createChainVerifier,
  liveDifferences,
  sameValue,
  type LiveState,
  type LiveSubject,
} from './verifier';

const keyOf = (secret: string): SigningKey => ({ id: keyIdOf(secret), secret });
const ours = keyOf('1'.repeat(64));
const previousKey = keyOf('2'.repeat(64));
const attacker = keyOf('3'.repeat(64));
const ring: KeyRing = { current: ours, previous: [] };

const snapshotAt = (version: number) => ({
  siteName: `Site ${version}`,
  hero3dDensity: 100 * version,
  maintenanceMode: version % 2 === 0,
});

/** Rows 1..count chained and signed as the plugin signs them; `keyFor` picks each row's key. */
const chainOf = (count: number, keyFor: (version: number) => SigningKey = () => ours) => {
  const rows: ChainRow[] = [];
  let link = '';
  for (let version = 1; version <= count; version += 1) {
    const key = keyFor(version);
    const row: ChainRow = {
      version,
      changeType: version === 1 ? 'create' : 'update',
      data: snapshotAt(version),
      changedFields: version === 1 ? [] : ['siteName'],
      restoredFrom: null,
      author: { kind: 'system' },
      note: null,
      schemaVersion: 1,
      createdAt: new Date(Date.UTC(2025, 0, version)).toISOString(),
      idempotencyKey: null,
      requestHash: null,
      hash: '',
      signedWith: key.id,
      macFormat: CURRENT_MAC_FORMAT,
    };
    row.hash = rowMac(key.secret, link, row);
    link = row.hash;
    rows.push(row);
  }
  return rows;
};

const headOf = (rows: ChainRow[], signer: SigningKey = ours, events: ChainEvent[] = []) => {
  const last = rows[rows.length - 1];
  const unsigned = {
    version: last?.version ?? 0,
    mac: last?.hash ?? '',
    keyId: signer.id,
    events,
    macFormat: CURRENT_MAC_FORMAT,
  };
  return { ...unsigned, signature: headSignature(signer.secret, unsigned) } satisfies ChainHead;
};

const resign = (head: ChainHead, signer: SigningKey = ours): ChainHead => {
  const { signature: _signature, ...unsigned } = head;
  return { ...head, signature: headSignature(signer.secret, unsigned) };
};

/** A checkpoint standing in for `rows` (archived), signed by `signer`. */
const checkpointFor = (all: ChainRow[], from: number, to: number, signer = ours): Checkpoint => {
  const unsigned = {
    fromVersion: from,
    toVersion: to,
    prevMac: from === 1 ? '' : all[from - 2].hash,
    lastMac: all[to - 1].hash,
    fileDigest: 'd'.repeat(64),
    fileName: `history-v${from}-v${to}.jsonl.gz`,
    rowCount: to - from + 1,
    rowsKeyId: signer.id,
    archivedAt: '2025-02-01T00:00:00.000Z',
    signedWith: signer.id,
    macFormat: CURRENT_MAC_FORMAT,
    mac: '',
  };
  return { ...unsigned, mac: checkpointMac(signer.secret, unsigned) };
};

type Item = ChainRow | Checkpoint;
const isCheckpoint = (item: Item): item is Checkpoint => 'fromVersion' in item;

const liveOf = (rows: ChainRow[]): LiveState | null =>
  rows.length === 0
    ? null
    : { version: rows[rows.length - 1].version, data: { ...rows[rows.length - 1].data } };

const verify = (
  items: Item[],
  head: ChainHead | null,
  {
    keys = ring,
    live,
    subject,
  }: { keys?: KeyRing; live?: LiveState | null; subject?: LiveSubject } = {}
) => {
  const verifier = createChainVerifier(keys, head);
  for (const item of items) {
    const goOn = isCheckpoint(item) ? verifier.checkpoint(item) : verifier.row(item);
    if (!goOn) break;
  }
  const rows = items.filter((item): item is ChainRow => !isCheckpoint(item));
  return verifier.finish({ live: live === undefined ? liveOf(rows) : live, subject });
};

const rows = chainOf(6);
const head = headOf(rows);
const live = liveOf(rows);
const broken = (brokenAt: number, reason: string) => ({ ok: false, brokenAt, reason });

describe('the chain verifier', () => {
  it('passes an untouched chain, naming the head and the key', () => {
    expect(verify(rows, head)).toEqual({
      ok: true,
      versions: 6,
      archived: { versions: 0, checkpoints: 0 },
      head: { version: 6, mac: rows[5].hash },
      keyId: ours.id,
      events: [],
    });
  });

  it('passes an empty history under a signed head at version 0', () => {
    expect(verify([], headOf([]), { live: null })).toMatchObject({ ok: true, versions: 0 });
  });

  describe('catches a changed row', () => {
    it.each<[string, (row: ChainRow) => ChainRow]>([
      ['a snapshot value', (row) => ({ ...row, data: { ...row.data, siteName: 'Phished' } })],
      ['changedFields', (row) => ({ ...row, changedFields: ['tagline'] })],
      ['the author', (row) => ({ ...row, author: { kind: 'admin', id: 9 } })],
      ['the MAC format set back to 1', (row) => ({ ...row, macFormat: null })],
      ['a MAC format it does not know', (row) => ({ ...row, macFormat: 99 })],
      ['the MAC itself', (row) => ({ ...row, hash: 'e'.repeat(64) })],
      [
        'the row and its MAC, recomputed with an unknown key under our key id',
        (row) => ({ ...row, note: 'x', hash: rowMac(attacker.secret, rows[2].hash, row) }),
      ],
    ])('%s (version 4 of 6): altered at 4', (_name, edit) => {
      const edited = rows.map((row) => (row.version === 4 ? edit(row) : row));
      expect(verify(edited, head)).toMatchObject(broken(4, 'altered'));
    });

    it('the whole chain recomputed with the unkeyed legacy hash: altered at 1', () => {
      let link = '';
      const legacy = rows.map((row) => {
        link = legacyRowHash(link, row);
        return { ...row, hash: link };
      });
      expect(verify(legacy, resign({ ...head, mac: link }, ours))).toMatchObject(
        broken(1, 'altered')
      );
    });
  });

  it('catches a deleted row in the middle (missing) and the newest row deleted (missing)', () => {
    expect(
      verify(
        rows.filter((row) => row.version !== 4),
        head
      )
    ).toMatchObject(broken(4, 'missing'));
    expect(
      verify(
        rows.filter((row) => row.version > 1),
        head
      )
    ).toMatchObject(broken(1, 'missing'));
    expect(verify(rows.slice(0, 5), head)).toMatchObject(broken(6, 'missing'));
  });

  it('catches a truncation that also moves the head back without the key (head-mismatch)', () => {
    const truncatedHead = { ...head, version: 5, mac: rows[4].hash };
    expect(verify(rows.slice(0, 5), truncatedHead)).toMatchObject(broken(5, 'head-mismatch'));
  });

  it('catches an inserted row: without the key (altered), or signed but beyond the head', () => {
    const forged = chainOf(7)[6];
    const withoutKey = { ...forged, hash: rowMac(attacker.secret, rows[5].hash, forged) };
    expect(verify([...rows, withoutKey], head)).toMatchObject(broken(7, 'altered'));
    // Even a row the key did sign is refused when the signed head does not reach it.
    expect(verify([...rows, forged], head, { live: { ...live!, version: 7 } })).toMatchObject(
      broken(7, 'head-mismatch')
    );
  });

  it('catches reordered rows: versions swapped (altered), or read out of order (missing)', () => {
    const swapped = rows.map((row) =>
      row.version === 2
        ? { ...rows[2], version: 2 }
        : row.version === 3
          ? { ...rows[1], version: 3 }
          : row
    );
    expect(verify(swapped, head)).toMatchObject(broken(2, 'altered'));
    const outOfOrder = [rows[0], rows[2], rows[1], ...rows.slice(3)];
    expect(verify(outOfOrder, head)).toMatchObject(broken(2, 'missing'));
    expect(verify([rows[0], rows[1], rows[1], ...rows.slice(2)], head)).toMatchObject(
      broken(2, 'forged-gap')
    );
  });

  it('names a history signed with another key as a wrong key, not as tampering', () => {
    const theirs: KeyRing = { current: attacker, previous: [] };
    expect(verify(rows, head, { keys: theirs })).toMatchObject({
      ...broken(1, 'wrong-key'),
      message: `the history is signed with key ${ours.id}, not this server's key ${attacker.id}`,
    });
  });

  describe('checks the head', () => {
    it.each<[string, ChainHead | null, number, string]>([
      ['moved to another MAC', { ...head, mac: 'b'.repeat(64) }, 6, 'head-mismatch'],
      ['with its key id changed', { ...head, keyId: 'x' }, 6, 'head-mismatch'],
      [
        're-signed with an unknown key',
        resign({ ...head, version: 5 }, attacker),
        5,
        'head-mismatch',
      ],
      ['with its signature removed', { ...head, signature: '' }, 6, 'head-mismatch'],
      [
        'with an event forged into it',
        {
          ...head,
          events: [
            {
              kind: 'rotate',
              at: '2025-03-01T00:00:00.000Z',
              atVersion: 6,
              atMac: rows[5].hash,
              fromKeyId: attacker.id,
              toKeyId: ours.id,
            },
          ],
        },
        6,
        'head-mismatch',
      ],
      ['missing', null, 6, 'head-missing'],
    ])('%s', (_name, forgedHead, brokenAt, reason) => {
      expect(verify(rows, forgedHead)).toMatchObject(broken(brokenAt, reason));
    });

    it("signed with the current key but naming another version's MAC: head-mismatch", () => {
      expect(verify(rows, resign({ ...head, mac: rows[4].hash }))).toMatchObject(
        broken(6, 'head-mismatch')
      );
    });

    it('signed with the previous key (a rotation not adopted yet): wrong-key', () => {
      const keys = { current: ours, previous: [previousKey] };
      expect(verify(rows, headOf(rows, previousKey), { keys })).toMatchObject(
        broken(6, 'wrong-key')
      );
    });

    it('an event pinning another MAC at its version: the chain was rebuilt (altered)', () => {
      const pinned = headOf(rows, ours, [
        { kind: 'adopt', at: '2025-03-01T00:00:00.000Z', atVersion: 3, atMac: 'c'.repeat(64) },
      ]);
      expect(verify(rows, pinned)).toMatchObject(broken(3, 'altered'));
    });
  });

  describe('checkpoints', () => {
    it('accepts a checkpoint this key signed in place of the rows it archived', () => {
      const items = [rows[0], checkpointFor(rows, 2, 4), ...rows.slice(4)];
      expect(verify(items, head)).toMatchObject({
        ok: true,
        versions: 3,
        archived: { versions: 3, checkpoints: 1 },
      });
      expect(verify([checkpointFor(rows, 1, 6)], head, { live })).toMatchObject({
        ok: true,
        versions: 0,
        archived: { versions: 6, checkpoints: 1 },
      });
    });

    it.each<[string, Checkpoint, number]>([
      ['with a forged MAC', { ...checkpointFor(rows, 2, 4), mac: 'a'.repeat(64) }, 2],
      ['signed with an unknown key', checkpointFor(rows, 2, 4, attacker), 2],
      ['widened without signing again', { ...checkpointFor(rows, 2, 4), toVersion: 5 }, 2],
      [
        'not continuing the chain',
        (() => {
          const moved = { ...checkpointFor(rows, 2, 4), prevMac: rows[1].hash };
          return { ...moved, mac: checkpointMac(ours.secret, moved) };
        })(),
        2,
      ],
    ])('refuses a checkpoint %s (forged-gap)', (_name, checkpoint, brokenAt) => {
      const items = [rows[0], checkpoint, ...rows.slice(4)];
      expect(verify(items, head)).toMatchObject(broken(brokenAt, 'forged-gap'));
    });

    it('refuses a row that lies inside a checkpoint, and a gap no checkpoint covers', () => {
      expect(
        verify([rows[0], checkpointFor(rows, 2, 4), rows[3], ...rows.slice(4)], head)
      ).toMatchObject(broken(4, 'forged-gap'));
      expect(verify([rows[0], checkpointFor(rows, 3, 4), ...rows.slice(4)], head)).toMatchObject(
        broken(2, 'missing')
      );
    });

    it('refuses a checkpoint the previous key signed after its rotation', () => {
      const keys = { current: ours, previous: [previousKey] };
      const rotated = headOf(rows, ours, [
        {
          kind: 'rotate',
          at: '2025-03-01T00:00:00.000Z',
          atVersion: 1,
          atMac: rows[0].hash,
          fromKeyId: previousKey.id,
          toKeyId: ours.id,
        },
      ]);
      const items = [rows[0], checkpointFor(rows, 2, 4, previousKey), ...rows.slice(4)];
      expect(verify(items, rotated, { keys })).toMatchObject(broken(2, 'forged-gap'));
    });
  });

  describe('key rotation', () => {
    const rotatedRows = chainOf(6, (version) => (version <= 3 ? previousKey : ours));
    const rotation: ChainEvent = {
      kind: 'rotate',
      at: '2025-03-01T00:00:00.000Z',
      atVersion: 3,
      atMac: rotatedRows[2].hash,
      fromKeyId: previousKey.id,
      toKeyId: ours.id,
    };
    const rotatedHead = headOf(rotatedRows, ours, [rotation]);
    const bothKeys = { current: ours, previous: [previousKey] };

    it('trusts the previous key for the versions before its rotation', () => {
      expect(verify(rotatedRows, rotatedHead, { keys: bothKeys })).toMatchObject({
        ok: true,
        versions: 6,
        events: [{ kind: 'rotate', atVersion: 3, fromKeyId: previousKey.id }],
      });
    });

    it('asks for the previous key when it is not configured', () => {
      expect(verify(rotatedRows, rotatedHead)).toMatchObject({
        ...broken(1, 'wrong-key'),
        message: expect.stringContaining('set HISTORY_SIGNING_KEY_PREVIOUS'),
      });
    });

    it('never trusts the previous key for a version after its rotation (a leaked old key)', () => {
      const leaked = chainOf(6, (version) => (version <= 4 ? previousKey : ours));
      const leakedHead = headOf(leaked, ours, [{ ...rotation, atMac: leaked[2].hash }]);
      expect(verify(leaked, leakedHead, { keys: bothKeys })).toMatchObject(broken(4, 'altered'));
    });

    it("never believes the events of a head the current key did not sign (a leaked old key's head)", () => {
      const oldOnly = chainOf(6, () => previousKey);
      const claimsRotation = headOf(oldOnly, previousKey, [
        { ...rotation, atVersion: 6, atMac: oldOnly[5].hash },
      ]);
      expect(verify(oldOnly, claimsRotation, { keys: bothKeys })).toMatchObject(
        broken(1, 'wrong-key')
      );
    });
  });

  it('calls a legacy row under no head unsigned (an operator adopts it)', () => {
    const legacy = { ...rows[0], signedWith: 'sha256', hash: legacyRowHash('', rows[0]) };
    expect(verify([legacy], null, { live: liveOf([legacy]) })).toMatchObject(broken(1, 'unsigned'));
  });

  describe('compares the live settings with the newest snapshot', () => {
    it('at another version: live-mismatch at the newest version, whatever the live row claims', () => {
      // An import, for one, publishes rows with the version number its file carried.
      expect(verify(rows, head, { live: { ...live!, version: 5 } })).toMatchObject({
        ...broken(6, 'live-mismatch'),
        message: 'the live settings are at version 5, the chain at 6',
      });
      expect(verify(rows, head, { live: { ...live!, version: 9 } })).toMatchObject(
        broken(6, 'live-mismatch')
      );
      expect(verify(rows, head, { live: null })).toMatchObject(broken(6, 'live-mismatch'));
    });

    it("names a versioned type's document in its messages", () => {
      const subject: LiveSubject = { name: 'the live Home page', is: 'is' };
      expect(verify(rows, head, { live: { ...live!, version: 2 }, subject })).toMatchObject({
        message: 'the live Home page is at version 2, the chain at 6',
      });
      expect(
        verify(rows, head, {
          live: { version: 6, data: { ...live!.data, siteName: 'Edited' } },
          subject,
        })
      ).toMatchObject({
        message: "the live Home page differs from version 6's snapshot in siteName",
      });
    });

    it('with a field changed behind the history: live-mismatch naming the field', () => {
      expect(
        verify(rows, head, { live: { version: 6, data: { ...live!.data, siteName: 'Edited' } } })
      ).toMatchObject({
        ...broken(6, 'live-mismatch'),
        message: "the live settings differ from version 6's snapshot in siteName",
      });
    });

    it('with the same values as a database driver hands them back: ok', () => {
      const asDriverGivesThem = { siteName: 'Site 6', hero3dDensity: '600', maintenanceMode: 1 };
      expect(verify(rows, head, { live: { version: 6, data: asDriverGivesThem } })).toMatchObject({
        ok: true,
      });
    });
  });

  it('reports only the first break, and stops taking items after it', () => {
    const verifier = createChainVerifier(ring, head);
    expect(verifier.row(rows[0])).toBe(true);
    expect(verifier.row(rows[2])).toBe(false);
    expect(verifier.row(rows[1])).toBe(false);
    expect(verifier.finish({ live })).toMatchObject(broken(2, 'missing'));
  });
});

describe('sameValue and liveDifferences', () => {
  it.each<[unknown, unknown, boolean]>([
    [true, 1, true],
    [false, 0, true],
    [true, '1', true],
    [false, '0', true],
    [true, 'true', false],
    [true, 0, false],
    [1.5, '1.50', true],
    [2, '2.01', false],
    [null, undefined, true],
    [null, 0, false],
    ['', null, false],
    [{ a: 1 }, { a: 1 }, true],
    [{ a: 1 }, { a: 2 }, false],
  ])('%p and %p are the same: %p', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
    expect(sameValue(b, a)).toBe(expected);
  });

  it('lists the snapshot fields the live row holds differently, ignoring fields it lacks', () => {
    expect(
      liveDifferences(
        { a: 1, b: true, c: 'x', d: 'only in the snapshot' },
        { a: '1', b: 0, c: 'y' }
      )
    ).toEqual(['b', 'c']);
  });
});

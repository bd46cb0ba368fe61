import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SETTINGS } from '../../../shared/settings-fields';
import type { Settings } from '../../../shared/contracts/settings';
import { etagFor } from './etag';
import { representationOf } from './representation';

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  siteName: 'Ünïcode – “quotes”',
  version: 12,
  updatedAt: '2025-01-02T03:04:05.678Z',
};

describe('representationOf (the cached GET response)', () => {
  it("is Strapi's { data, meta } body, its strong ETag and the body's UTF-8 bytes", () => {
    const representation = representationOf(settings);
    expect(JSON.parse(representation.body)).toEqual({ data: settings, meta: {} });
    expect(representation.version).toBe(12);
    expect(representation.etag).toBe(etagFor(12, representation.body));
    expect(representation.bytes.equals(Buffer.from(representation.body, 'utf8'))).toBe(true);
    expect(representation.bytes.length).toBeGreaterThan(representation.body.length);
    expect(representation.settings).toBe(settings);
  });

  it('changes its ETag when a field changes but the version does not (a restored backup)', () => {
    const other = representationOf({ ...settings, tagline: 'Another line' });
    expect(other.etag).not.toBe(representationOf(settings).etag);
    expect(other.etag.startsWith('"12-')).toBe(true);
  });

  it('is byte-for-byte the same for equal settings, so every instance serves the same ETag', () => {
    const copy = JSON.parse(JSON.stringify(settings)) as Settings;
    expect(representationOf(copy).body).toBe(representationOf(settings).body);
    expect(representationOf(copy).etag).toBe(representationOf(settings).etag);
  });
});

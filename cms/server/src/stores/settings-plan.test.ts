import { describe, expect, it } from '@jest/globals';
import { planSettingsWrite, type SettingsWrite } from './settings-plan';

/** The field list: two fields, defaults filled in, anything else dropped. */
const snapshot = (data: Record<string, unknown>) => ({
  title: data.title ?? 'Default',
  tagline: data.tagline ?? '',
});
const live = { title: 'Live', tagline: 'Live line' };
const plan = (
  write: SettingsWrite,
  state: { live?: typeof live | null; draft?: typeof live | null } = {}
) =>
  planSettingsWrite(
    write,
    state.live === undefined ? live : state.live,
    state.draft ?? null,
    snapshot
  );

describe('planSettingsWrite', () => {
  it('patch: publishes live + the fields sent, and the draft keeps its own other changes', () => {
    const result = plan(
      { kind: 'patch', data: { title: 'New' } },
      { draft: { title: 'Draft', tagline: 'Draft line' } }
    );
    expect(result.published).toEqual({ title: 'New', tagline: 'Live line' });
    expect(result.draft).toEqual({ title: 'New', tagline: 'Draft line' });
    expect(result.changedFields).toEqual(['title']);
    expect(result.draftChanged).toBe(true);
    expect(result.draftIsPublished).toBe(false);
  });

  it('publish-draft: publishes the draft, with the data applied to it first', () => {
    const result = plan(
      { kind: 'publish-draft', data: { tagline: 'Sent' } },
      { draft: { title: 'Draft', tagline: 'Draft line' } }
    );
    expect(result.published).toEqual({ title: 'Draft', tagline: 'Sent' });
    expect(result.draft).toEqual(result.published);
    expect(result.changedFields).toEqual(['title', 'tagline']);
    expect(result.draftIsPublished).toBe(true);
  });

  it('publish-draft without a draft publishes live as it is: nothing changes', () => {
    const result = plan({ kind: 'publish-draft', data: {} });
    expect(result.changedFields).toEqual([]);
    expect(result.draftChanged).toBe(false);
  });

  it('replace: the data becomes both the published row and the draft, whatever the draft held', () => {
    const result = plan(
      { kind: 'replace', data: { title: 'Old', tagline: 'Old line' } },
      { draft: { title: 'Draft', tagline: 'Draft line' } }
    );
    expect(result.published).toEqual({ title: 'Old', tagline: 'Old line' });
    expect(result.draft).toEqual(result.published);
    expect(result.draftChanged).toBe(true);
  });

  it('create: every field is a change, defaults included', () => {
    const result = plan({ kind: 'create', data: { title: 'First' } }, { live: null });
    expect(result.published).toEqual({ title: 'First', tagline: '' });
    expect(result.changedFields).toEqual(['title', 'tagline']);
  });

  it('a patch sending what is live changes nothing published, but still reaches a differing draft', () => {
    const result = plan(
      { kind: 'patch', data: { title: 'Live' } },
      { draft: { title: 'Draft', tagline: 'Live line' } }
    );
    expect(result.changedFields).toEqual([]);
    expect(result.draft).toEqual({ title: 'Live', tagline: 'Live line' });
    expect(result.draftChanged).toBe(true);
  });

  it('drops what the field list does not know', () => {
    const result = plan({ kind: 'patch', data: { unknown: 1 } as Record<string, unknown> });
    expect(result.published).toEqual(live);
    expect(result.changedFields).toEqual([]);
  });
});

/**
 * What a settings write makes of the published row and the draft, decided
 * before anything is written (so a write that changes nothing published
 * leaves no trace, even inside someone else's transaction). Pure: the
 * snapshot function (the settings' field list) is passed in.
 *
 *   create         the data (version 1), as the draft too
 *   patch          live + the fields sent; the draft keeps its own other changes
 *   publish-draft  the draft (with `data` applied to it first)
 *   replace        the data (a rollback), as the draft too: a later publish cannot undo it
 */
import { changedFieldNames } from '../utils/fields';

export type SettingsWriteKind = 'create' | 'patch' | 'publish-draft' | 'replace';

/** A settings write: what is published, by kind (see above). */
export interface SettingsWrite {
  kind: SettingsWriteKind;
  data: Record<string, unknown>;
}

type Snapshot = Record<string, unknown>;

export interface SettingsPlan {
  published: Snapshot;
  draft: Snapshot;
  /** Fields whose published value changes (every field for a first version). */
  changedFields: string[];
  /** Whether the draft row changes. */
  draftChanged: boolean;
  /** Whether the draft ends up equal to what is published (one statement writes both). */
  draftIsPublished: boolean;
}

export const planSettingsWrite = (
  write: SettingsWrite,
  live: Snapshot | null,
  draft: Snapshot | null,
  snapshot: (data: Snapshot) => Snapshot
): SettingsPlan => {
  const liveData = live ?? {};
  const draftData = draft ?? liveData;
  let published: Snapshot;
  let nextDraft: Snapshot;
  switch (write.kind) {
    case 'create':
    case 'replace':
      published = nextDraft = snapshot({ ...liveData, ...write.data });
      break;
    case 'patch':
      published = snapshot({ ...liveData, ...write.data });
      nextDraft = snapshot({ ...draftData, ...write.data });
      break;
    case 'publish-draft':
      published = nextDraft = snapshot({ ...draftData, ...write.data });
      break;
  }
  return {
    published,
    draft: nextDraft,
    changedFields: live ? changedFieldNames(live, published) : Object.keys(published),
    draftChanged: draft ? changedFieldNames(draft, nextDraft).length > 0 : false,
    draftIsPublished: changedFieldNames(published, nextDraft).length === 0,
  };
};

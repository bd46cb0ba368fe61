/**
 * The registry of versioned types other than settings, filled once by
 * `register` from the `versioned` config (see versioned/register.ts).
 */
import type { VersionedType } from '../versioned/types';

export const createVersionedTypesService = () => {
  const byUid = new Map<string, VersionedType>();
  return {
    add(type: VersionedType) {
      byUid.set(type.uid, type);
    },
    list: (): VersionedType[] => [...byUid.values()],
    byUid: (uid: string) => byUid.get(uid),
    byKey: (key: string) => [...byUid.values()].find((type) => type.key === key),
  };
};

export type VersionedTypesService = ReturnType<typeof createVersionedTypesService>;

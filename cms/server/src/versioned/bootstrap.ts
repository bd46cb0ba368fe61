/**
 * At bootstrap, for each versioned type other than settings: its chain's head,
 * a first version for content published before versioning was switched on,
 * and keeping its public copy current after every version.
 */
import type { Core } from '@strapi/strapi';
import { CHAIN_TYPES_STORE, type ChainTypeRecord } from '../chain/chain-types';
import { getService } from '../utils/get-service';

export const prepareVersionedTypes = async (strapi: Core.Strapi) => {
  const types = getService('versionedTypes').list();
  // For the operations scripts, which cannot read the config: which chains this database holds.
  await strapi.store.set({
    ...CHAIN_TYPES_STORE,
    value: types.map((type): ChainTypeRecord => ({
      uid: type.uid,
      key: type.key,
      displayName: type.displayName,
      collection: type.tables.live,
    })),
  });
  for (const type of types) {
    // A lost chain waits for an operator (history:adopt --type): no first version is made here.
    if ((await getService('chain').of(type).prepare()) === 'lost') continue;
    const store = getService('versioning').store(type);
    const live = await store.readLive();
    const [newest] = (await getService('history').of(type).list({ page: 1, pageSize: 1 })).entries;
    if (live && !newest) {
      // Not a trust decision: there is no history to trust. The chain starts at what is published.
      await getService('versioning').commit(type, {
        write: async () => undefined,
        baseline: true,
        author: { kind: 'system' },
        note: 'Versioning switched on: the content as it was published',
      });
    }
  }
  if (types.length === 0) return;

  const delivery = getService('typeDelivery');
  getService('versioning').onCommitted((change) => {
    if (change.type.isSettings) return;
    // The admin pages showing this type's history (the settings' hear the public stream).
    void getService('adminEvents').changed('versions');
    void delivery.refresh(change.type).catch((error: Error) => {
      strapi.log.warn(
        `platform-settings: could not refresh the public copy of ${change.type.uid}: ${error.message}`
      );
      delivery.markStale(change.type);
    });
  });
  // The public copies are what the Public role may read: a change to its permissions forgets them.
  strapi.db.lifecycles.subscribe({
    models: ['plugin::users-permissions.permission'],
    afterCreate: () => delivery.clear(),
    afterUpdate: () => delivery.clear(),
    afterDelete: () => delivery.clear(),
    afterDeleteMany: () => delivery.clear(),
    afterCreateMany: () => delivery.clear(),
  });
};

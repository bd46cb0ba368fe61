/**
 * The hidden content types that hold one versioned type's chain: the same four
 * the settings type has (history, head, checkpoints, idempotency keys), with
 * the type's own table names, so Strapi creates and migrates their tables on
 * every database as it does the settings' ones.
 */
import chainHead from '../content-types/chain-head/schema';
import checkpoint from '../content-types/checkpoint/schema';
import history from '../content-types/history/schema';
import idempotencyKey from '../content-types/idempotency-key/schema';
import type { VersionedType } from './types';

const SETTINGS_PREFIX = 'platform_settings';

type Schema = {
  collectionName: string;
  info: { singularName: string; pluralName: string; displayName: string };
  indexes?: Array<{ name: string; [key: string]: unknown }>;
  [key: string]: unknown;
};

const forType = (schema: Schema, type: VersionedType, collection: string): Schema => {
  const prefix = (name: string) => `${collection}${name.slice(SETTINGS_PREFIX.length)}`;
  return {
    ...schema,
    collectionName: prefix(schema.collectionName),
    info: {
      singularName: `${type.key}-${schema.info.singularName}`,
      pluralName: `${type.key}-${schema.info.pluralName}`,
      displayName: `${type.displayName} ${schema.info.displayName.replace('Platform settings ', '')}`,
    },
    indexes: schema.indexes?.map((index) => ({ ...index, name: prefix(index.name) })),
  };
};

/** `{ [singularName]: { schema } }`, ready for Strapi's content-type registry. */
export const chainContentTypesFor = (type: VersionedType) => {
  const collection = type.tables.live;
  return Object.fromEntries(
    [history, chainHead, checkpoint, idempotencyKey].map((schema) => {
      const typed = forType(schema as unknown as Schema, type, collection);
      return [typed.info.singularName, { schema: typed }];
    })
  );
};

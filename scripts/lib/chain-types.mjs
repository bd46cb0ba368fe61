/**
 * `--type`: which versioned type's chain a script works on. The settings by
 * default; any type the plugin versions, by uid (`api::home-page.home-page`) or
 * key (`home-page`); `all` for the scripts that act on every chain at once
 * (adopt and resign: a key is shared by every chain). The list comes from the
 * database (see the plugin's chain/chain-types.ts): the types the CMS last
 * started with whose chain tables exist.
 */
import path from 'node:path';
import { chain } from './chain.mjs';

export const ALL_TYPES = 'all';

/** The parseArgs option every history script takes. */
export const typeOption = { type: { type: 'string' } };

/** A `--type` naming no chain of this database: bad usage, exit 2, nothing touched. */
export class UnknownChainType extends Error {
  exitCode = 2;
}

/**
 * The chains `name` selects (`fallback` when no --type was given). Throws
 * UnknownChainType, naming the chains there are, for anything else.
 */
export const selectChainTypes = async (
  db,
  name,
  { fallback = 'settings', allowAll = false } = {}
) => {
  const wanted = name ?? fallback;
  const types = await chain.readChainTypes(db);
  if (wanted === ALL_TYPES) {
    if (!allowAll) throw new UnknownChainType('--type all is not accepted here: name one type');
    return types;
  }
  const found = chain.findChainType(types, wanted);
  if (!found) {
    const known = types.map((type) => `${type.key} (${type.uid})`).join(', ');
    throw new UnknownChainType(
      `--type ${wanted} is not a versioned type of this database; its chains: ${known}${allowAll ? `, or ${ALL_TYPES}` : ''} (a type versioned since the CMS last started appears after its next start)`
    );
  }
  return [found];
};

/** The ring a type's chain is signed with: the key ring as it is for settings, derived for others. */
export const ringOf = (keys, type) => chain.ringForType(keys, type.uid, type.isSettings);

/** How a script's messages name a chain. */
export const chainName = (type) => (type.isSettings ? 'the settings' : `${type.key} (${type.uid})`);

/** The API path an operator checks a chain with. */
export const verifyPath = (type) =>
  type.isSettings ? '/api/platform-settings/history/verify' : `/api/${type.key}/history/verify`;

/** Where a chain's archive files go: DIR for the settings (as always), DIR/<key> for a type. */
export const archiveDirOf = (dir, type) => (type.isSettings ? dir : path.join(dir, type.key));

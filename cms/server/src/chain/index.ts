/**
 * The history chain, usable without Strapi: the plugin signs and verifies with
 * it, and the operations scripts (archive, restore, export, offline verify)
 * load its build from `cms/dist/server/src/chain`.
 */
export * from './keys';
export * from './mac';
export * from './schedule-mac';
export * from './store';
export * from './types';
export * from './verifier';
export * from './chain-types';

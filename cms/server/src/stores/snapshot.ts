/**
 * What a version of any versioned single type holds, read from its schema:
 * scalar fields as plain JSON; components (single and repeatable, nested) and
 * dynamic zones as their fields without row ids (publishing recreates
 * component rows, so ids mean nothing later); media and relations as the
 * `documentId`s they point to. Pure: the schema comes in as a lookup, so unit
 * tests need no Strapi.
 */
import type { FieldDiff } from '../../../shared/contracts/settings';
import { canonicalJson } from '../chain/mac';
import { SERVER_MANAGED_FIELDS } from '../utils/constants';
import { normalizeValue } from '../utils/fields';

export type Attribute = {
  type: string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
  multiple?: boolean;
  relation?: string;
  target?: string;
  [key: string]: unknown;
};
export type SchemaLookup = (uid: string) => { attributes: Record<string, Attribute> };

const MANAGED = new Set<string>([...SERVER_MANAGED_FIELDS, 'strapi_stage', 'strapi_assignee']);
/** Never versioned: secrets, and what Strapi computes. */
const SKIPPED_TYPES = new Set(['password']);

const isToMany = (attribute: Attribute) =>
  attribute.type === 'media'
    ? attribute.multiple === true
    : /ToMany$|^manyWay$/.test(attribute.relation ?? '');

/** The attributes a snapshot holds, in schema order. */
export const versionedAttributes = (
  lookup: SchemaLookup,
  uid: string
): Array<[string, Attribute]> =>
  Object.entries(lookup(uid).attributes).filter(
    ([name, attribute]) =>
      !MANAGED.has(name) &&
      !SKIPPED_TYPES.has(attribute.type) &&
      // Relations Strapi adds itself (createdBy…) and morph relations are not content.
      !(
        attribute.type === 'relation' &&
        (!attribute.target || /morph/i.test(attribute.relation ?? ''))
      )
  );

/**
 * The populate that reads every versioned attribute, all the way down:
 * references as their `documentId` only (a snapshot), or whole (the public body).
 */
export const deepPopulate = (
  lookup: SchemaLookup,
  uid: string,
  references: 'documentId' | 'whole' = 'documentId'
): Record<string, unknown> => {
  const populate: Record<string, unknown> = {};
  // `{ populate: {} }` vanishes from a query string: a component with nothing to go deeper into is '*'.
  const nested = (component: string) => {
    const inner = deepPopulate(lookup, component, references);
    return { populate: Object.keys(inner).length > 0 ? inner : '*' };
  };
  for (const [name, attribute] of versionedAttributes(lookup, uid)) {
    if (attribute.type === 'component') {
      populate[name] = nested(attribute.component!);
    } else if (attribute.type === 'dynamiczone') {
      populate[name] = {
        on: Object.fromEntries(
          (attribute.components ?? []).map((component) => [component, nested(component)])
        ),
      };
    } else if (attribute.type === 'media' || attribute.type === 'relation') {
      populate[name] = references === 'whole' ? true : { fields: ['documentId'] };
    }
  }
  return populate;
};

const scalarOf = (attribute: Attribute, value: unknown): unknown => {
  if (value === undefined || value === null) return null;
  switch (attribute.type) {
    // Numbers and booleans as the settings' snapshots hold them (one rule, utils/fields.ts).
    case 'decimal':
    case 'integer':
    case 'float':
    case 'boolean':
      return normalizeValue(attribute, value);
    case 'biginteger':
      return String(value);
    case 'datetime':
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : new Date(value as string).toISOString();
    case 'json':
    case 'blocks':
      return typeof value === 'string' ? safeJson(value) : value;
    default:
      return value;
  }
};

const safeJson = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const referenceOf = (value: unknown): string | null =>
  value && typeof value === 'object' && 'documentId' in value
    ? String((value as { documentId: unknown }).documentId)
    : null;

/** A document (as the Document Service returns it, deeply populated) as a snapshot. */
export const snapshotOfDocument = (
  lookup: SchemaLookup,
  uid: string,
  document: Record<string, unknown>
): Record<string, unknown> => {
  const snapshot: Record<string, unknown> = {};
  for (const [name, attribute] of versionedAttributes(lookup, uid)) {
    const value = document[name];
    switch (attribute.type) {
      case 'component':
        snapshot[name] = attribute.repeatable
          ? ((value as Record<string, unknown>[] | null) ?? []).map((item) =>
              snapshotOfDocument(lookup, attribute.component!, item)
            )
          : value
            ? snapshotOfDocument(lookup, attribute.component!, value as Record<string, unknown>)
            : null;
        break;
      case 'dynamiczone':
        snapshot[name] = ((value as Record<string, unknown>[] | null) ?? []).map((item) => ({
          __component: item.__component,
          ...snapshotOfDocument(lookup, String(item.__component), item),
        }));
        break;
      case 'media':
      case 'relation':
        snapshot[name] = isToMany(attribute)
          ? ((value as unknown[] | null) ?? []).map(referenceOf).filter((id) => id !== null)
          : referenceOf(value);
        break;
      default:
        snapshot[name] = scalarOf(attribute, value);
    }
  }
  return snapshot;
};

/** Every `documentId` a snapshot refers to, by target uid (to check they still exist before a restore). */
export const referencesOf = (
  lookup: SchemaLookup,
  uid: string,
  snapshot: Record<string, unknown>,
  path: string[] = [],
  found: Array<{ path: string[]; target: string; documentId: string }> = []
) => {
  for (const [name, attribute] of versionedAttributes(lookup, uid)) {
    const value = snapshot[name];
    if (value === undefined || value === null) continue;
    if (attribute.type === 'media' || attribute.type === 'relation') {
      const target = attribute.type === 'media' ? 'plugin::upload.file' : attribute.target!;
      for (const documentId of Array.isArray(value) ? value : [value]) {
        found.push({ path: [...path, name], target, documentId: String(documentId) });
      }
    } else if (attribute.type === 'component') {
      const items = attribute.repeatable ? (value as Record<string, unknown>[]) : [value];
      items.forEach((item, index) =>
        referencesOf(
          lookup,
          attribute.component!,
          item as Record<string, unknown>,
          attribute.repeatable ? [...path, name, String(index)] : [...path, name],
          found
        )
      );
    } else if (attribute.type === 'dynamiczone') {
      (value as Record<string, unknown>[]).forEach((item, index) =>
        referencesOf(lookup, String(item.__component), item, [...path, name, String(index)], found)
      );
    }
  }
  return found;
};

/**
 * The Document Service `data` that writes `snapshot` back: components as new
 * rows in their order, relations by `documentId`, media by the file ids
 * `mediaIds` resolves (a reference missing from `present` is left out; the
 * caller reports it). Attributes the schema no longer has are not written;
 * attributes added since are left as they are.
 */
export const restoreDataOf = (
  lookup: SchemaLookup,
  uid: string,
  snapshot: Record<string, unknown>,
  present: (target: string, documentId: string) => number | string | null
): Record<string, unknown> => {
  const data: Record<string, unknown> = {};
  for (const [name, attribute] of versionedAttributes(lookup, uid)) {
    if (!(name in snapshot)) continue;
    const value = snapshot[name];
    switch (attribute.type) {
      case 'component':
        data[name] = attribute.repeatable
          ? ((value as Record<string, unknown>[] | null) ?? []).map((item) =>
              restoreDataOf(lookup, attribute.component!, item, present)
            )
          : value
            ? restoreDataOf(lookup, attribute.component!, value as Record<string, unknown>, present)
            : null;
        break;
      case 'dynamiczone':
        data[name] = ((value as Record<string, unknown>[] | null) ?? []).map((item) => ({
          __component: item.__component,
          ...restoreDataOf(lookup, String(item.__component), item, present),
        }));
        break;
      case 'media':
      case 'relation': {
        const target = attribute.type === 'media' ? 'plugin::upload.file' : attribute.target!;
        const resolve = (documentId: unknown) => present(target, String(documentId));
        if (isToMany(attribute)) {
          const ids = ((value as unknown[] | null) ?? []).map(resolve).filter((id) => id !== null);
          data[name] = attribute.type === 'media' ? ids : { set: ids };
        } else {
          const id = value === null ? null : resolve(value);
          data[name] = attribute.type === 'media' ? id : id === null ? { set: [] } : { set: [id] };
        }
        break;
      }
      default:
        data[name] = value;
    }
  }
  return data;
};

/** Top-level attributes whose snapshots differ, in schema order. */
export const changedAttributes = (
  before: Record<string, unknown>,
  after: Record<string, unknown>
): string[] =>
  [...new Set([...Object.keys(after), ...Object.keys(before)])].filter(
    (name) => canonicalJson(before[name]) !== canonicalJson(after[name])
  );

/** What changed between two snapshots, attribute by attribute, `null` for an attribute one side lacks. */
export const attributeDiff = (
  before: Record<string, unknown>,
  after: Record<string, unknown>
): FieldDiff[] =>
  changedAttributes(before, after).map((field) => ({
    field,
    from: before[field] ?? null,
    to: after[field] ?? null,
  }));

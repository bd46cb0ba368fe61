/**
 * The body of a versioned type's public GET (`GET /api/home-page`), in zod,
 * read from the type's schema: Strapi's REST answer for the whole document
 * (stores/snapshot.ts `deepPopulate(…, 'whole')`): its fields, components
 * (single, repeatable, nested) and dynamic zones with their row ids, media
 * files and related documents populated. For docs/openapi.json (and so for
 * the tests, which check every answer against it).
 *
 * Strapi's own route declares a schema too, but not the answer it sends: no
 * `meta`, an empty media field must be an object, a file must list `related`,
 * and `publishedAt` carries the time the schema was built as its default.
 */
import { z } from 'zod';
import { versionedAttributes, type Attribute, type SchemaLookup } from '../stores/snapshot';

/** `home.call-to-action` → `HomeCallToAction`: the components' names in the document. */
const pascal = (uid: string) =>
  uid
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

const mediaFile = z
  .looseObject({
    id: z.number().int(),
    documentId: z.string(),
    name: z.string(),
    url: z.string(),
    mime: z.string(),
  })
  .meta({
    id: 'MediaFile',
    description: "A file of Strapi's media library, as its REST gives it.",
  });

const relatedDocument = z
  .looseObject({ id: z.number().int(), documentId: z.string() })
  .meta({ id: 'RelatedDocument', description: 'A related document with its own fields.' });

const isToMany = (attribute: Attribute) =>
  attribute.type === 'media'
    ? attribute.multiple === true
    : /ToMany$|^manyWay$/.test(attribute.relation ?? '');

/** Each component's schema once: the registry holds one schema per name. */
const components = new Map<string, z.ZodType>();

const scalarOf = (attribute: Attribute): z.ZodType => {
  switch (attribute.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'email':
    case 'uid':
    case 'date':
    case 'datetime':
    case 'time':
      return z.string();
    case 'enumeration':
      return z.enum(((attribute.enum as string[] | undefined) ?? []) as [string, ...string[]]);
    case 'integer':
      return z.number().int();
    case 'biginteger':
      // Strapi answers a bigint as a string where the driver does.
      return z.union([z.string(), z.number().int()]);
    case 'float':
    case 'decimal':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'blocks':
      return z.array(z.unknown());
    default:
      // JSON, and types this schema does not know (custom fields): any value.
      return z.unknown();
  }
};

const attributeOf = (lookup: SchemaLookup, attribute: Attribute): z.ZodType => {
  if (attribute.type === 'component') {
    const component = componentOf(lookup, attribute.component!);
    return attribute.repeatable ? z.array(component) : component.nullable();
  }
  if (attribute.type === 'dynamiczone') {
    return z.array(
      z.union(
        (attribute.components ?? []).map((uid) =>
          z.object({ __component: z.literal(uid) }).extend(fieldsOf(lookup, uid))
        ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]
      )
    );
  }
  if (attribute.type === 'media' || attribute.type === 'relation') {
    const one = attribute.type === 'media' ? mediaFile : relatedDocument;
    return isToMany(attribute) ? z.array(one).nullable() : one.nullable();
  }
  const scalar = scalarOf(attribute);
  return attribute.required === true ? scalar : scalar.nullable();
};

/** A component's or the document's fields; components answer their row `id`. */
const fieldsOf = (lookup: SchemaLookup, uid: string) => ({
  id: z.number().int(),
  ...Object.fromEntries(
    versionedAttributes(lookup, uid)
      .filter(([, attribute]) => attribute.private !== true)
      .map(([name, attribute]) => [name, attributeOf(lookup, attribute).optional()])
  ),
});

const componentOf = (lookup: SchemaLookup, uid: string): z.ZodType => {
  let schema = components.get(uid);
  if (!schema) {
    schema = z.object(fieldsOf(lookup, uid)).meta({ id: pascal(uid) });
    components.set(uid, schema);
  }
  return schema;
};

/** `{ data, meta }` as Strapi's REST answers the published document of `uid`. */
export const publicDocumentSchema = (lookup: SchemaLookup, uid: string) =>
  z.object({
    data: z.object({
      ...fieldsOf(lookup, uid),
      documentId: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
      publishedAt: z.string().meta({ description: 'When this content was published.' }),
      version: z.number().int().min(1).meta({
        description:
          'The version of this content (set by each published change, never by a client).',
      }),
    }),
    meta: z.object({}),
  });

// Turns what Strapi 5.54's OpenAPI generator (@strapi/openapi, the code behind
// `strapi openapi generate`) makes of the app's content-API routes into the
// complete description of the platform-settings API. The generator takes each
// route's zod `request` (path and query parameters, JSON body) and `response` (the
// 200 body) and nothing else: it lists every plugin's routes, writes a schema only
// for the 200, adds body-less 400/401/403/404/500 to every operation, cannot
// express request headers, and puts a JWT bearer scheme on everything. This step:
//
//   - keeps only this plugin's content-API routes (the others are Strapi's and
//     other plugins', described by no one), and fails for a route without an
//     `openapi` extension (cms/server/src/routes/docs.ts), so none goes undocumented;
//   - describes each versioned type's public GET (`GET /home-page`: Strapi's own route,
//     answered by the plugin's fast path) from the route the plugin documents for it
//     (`strapiRoute`): its bare URL only, since with Strapi's query parameters Strapi
//     answers, and the body the plugin declares, with the `meta` Strapi's schema lacks;
//   - tags every operation with the plugin's tag;
//   - from each route's `openapi` extension: operationId, summary, description, the
//     security schemes (X-Founder-Key, X-Preview-Token, a Strapi API token) or none, request headers (If-Match,
//     If-None-Match, Idempotency-Key) as header parameters, and the exact set of
//     statuses the route answers (304, 409, 412, 413, 415, 422, 429, 503...) with
//     their bodies and response headers; the generator's 200 body is kept, its
//     placeholder statuses are replaced or dropped;
//   - marks a request body required when its zod schema is not optional, and shows
//     a parameter's schema description as the parameter's;
//   - sets info, servers (paths are relative to the `/api` prefix, as the generator
//     writes them) and tags, keeps only the component schemas the paths use, drops
//     zod's `$schema` markers, and orders keys stably so that diffs stay readable.
//
// Body and header schemas of the extension are converted with zod's toJSONSchema
// and the options the generator uses (draft 2020-12, output types), and schemas
// with a zod `id` become shared components, as the generator's do.
import { createRequire } from 'node:module';

// The plugin's own zod (CommonJS), so that its schema ids are in the same registry.
const { z } = createRequire(import.meta.url)('zod');

const CONVERSION = { target: 'draft-2020-12', io: 'output' };
const COMPONENT_REF = '#/components/schemas/';

const fail = (message) => {
  throw new Error(`openapi: ${message}`);
};

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

const mapDeep = (value, visit) => {
  if (Array.isArray(value)) return value.map((item) => mapDeep(item, visit));
  if (!isObject(value)) return value;
  return visit(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapDeep(v, visit)])));
};

/** Converts zod schemas, collecting the named ones (zod `id`) as components. */
const schemaConverter = (components) => {
  const addComponent = (id, schema) => {
    const existing = components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema))
      fail(`two different schemas are named ${id}`);
    components[id] = schema;
  };
  return (zodSchema) => {
    const { $defs = {}, ...json } = z.toJSONSchema(zodSchema, CONVERSION);
    const rewrite = (schema) =>
      mapDeep(schema, (node) =>
        typeof node.$ref === 'string' && node.$ref.startsWith('#/$defs/')
          ? { ...node, $ref: COMPONENT_REF + node.$ref.slice('#/$defs/'.length) }
          : node
      );
    for (const [id, definition] of Object.entries($defs)) addComponent(id, rewrite(definition));
    const schema = rewrite(json);
    const id = z.globalRegistry.get(zodSchema)?.id;
    if (!id) return schema;
    addComponent(id, schema);
    return { $ref: COMPONENT_REF + id };
  };
};

const headerObject = (header, toSchema) => ({
  description: header.description,
  ...(header.required ? { required: true } : {}),
  schema: toSchema(header.schema),
});

const buildResponses = (route, generated, toSchema) => {
  const label = `${route.method} ${route.path}`;
  const responses = {};
  for (const [status, declared] of Object.entries(route.openapi.responses)) {
    const response = { description: declared.description };
    if (declared.headers?.length) {
      response.headers = Object.fromEntries(
        declared.headers.map((header) => [header.name, headerObject(header, toSchema)])
      );
    }
    if (status === '200' && route.response) {
      // One schema: a 200's body is the route's `response`, as the generator wrote it (for
      // Strapi's own route, the generator wrote what that route declares: converted here).
      if (declared.body) fail(`${label}: the 200 body is the route's \`response\`, not openapi's`);
      response.content = route.openapi.strapiRoute
        ? { 'application/json': { schema: toSchema(route.response) } }
        : (generated[200]?.content ?? fail(`${label}: the generator wrote no 200`));
    } else if (declared.body) {
      const mediaType = declared.mediaType ?? 'application/json';
      response.content = { [mediaType]: { schema: toSchema(declared.body) } };
    }
    responses[status] = response;
  }
  if (route.response && !responses[200]) fail(`${label} has a \`response\` but documents no 200`);
  return responses;
};

/** A parameter's schema description is the parameter's own. */
const describedParameter = ({ schema: { description, ...schema }, ...parameter }) => ({
  ...parameter,
  ...(description ? { description } : {}),
  schema,
});

const buildOperation = (route, generated, toSchema, securitySchemes, tags) => {
  const docs = route.openapi;
  // A list of schemes is a choice: any one of them will do.
  const schemes = docs.security ? [docs.security].flat() : [];
  const security = schemes.map((scheme) => ({ [scheme.id]: [] }));
  for (const scheme of schemes) securitySchemes[scheme.id] = scheme.scheme;
  const body = route.request?.body?.['application/json'];
  return {
    operationId: docs.operationId,
    summary: docs.summary,
    ...(docs.description ? { description: docs.description } : {}),
    tags,
    security,
    parameters: [
      ...(docs.strapiRoute ? [] : (generated.parameters ?? [])).map(describedParameter),
      ...(docs.headers ?? []).map((header) => ({
        name: header.name,
        in: 'header',
        ...headerObject(header, toSchema),
      })),
    ],
    ...(generated.requestBody
      ? { requestBody: { ...generated.requestBody, required: !body.safeParse(undefined).success } }
      : {}),
    responses: buildResponses(route, generated.responses ?? {}, toSchema),
  };
};

/** The component schemas reachable from `root`, in the order first reached. */
const referencedSchemas = (root, schemas) => {
  const used = new Set();
  const walk = (value) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      const ref = value.$ref;
      if (typeof ref === 'string' && ref.startsWith(COMPONENT_REF)) {
        const id = ref.slice(COMPONENT_REF.length);
        if (!used.has(id)) {
          used.add(id);
          walk(schemas[id] ?? fail(`${ref} is not defined`));
        }
      }
      Object.values(value).forEach(walk);
    }
  };
  walk(root);
  return Object.fromEntries([...used].sort().map((id) => [id, schemas[id]]));
};

// Keys in this order first (where present), then the rest alphabetically; the
// members of `properties` keep their schema order.
const TOP_LEVEL_ORDER = ['openapi', 'info', 'servers', 'tags', 'paths', 'components'];
const KEY_ORDER = [
  '$ref',
  'operationId',
  'name',
  'in',
  'title',
  'summary',
  'description',
  'tags',
  'type',
  'const',
  'enum',
  'format',
  'security',
  'parameters',
  'requestBody',
  'required',
  'headers',
  'content',
  'schema',
  'properties',
  'items',
  'responses',
];
const byKeyOrder = (order) => {
  const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
  return ([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
};

export const stableOrder = (value, parentKey = null, order = TOP_LEVEL_ORDER) => {
  if (Array.isArray(value)) return value.map((item) => stableOrder(item, null, KEY_ORDER));
  if (!isObject(value)) return value;
  const entries = Object.entries(value).filter(([key]) => key !== '$schema');
  if (parentKey !== 'properties') entries.sort(byKeyOrder(order));
  return Object.fromEntries(
    entries.map(([key, child]) => [key, stableOrder(child, key, KEY_ORDER)])
  );
};

/**
 * @param {object} raw what `generate(strapi, { type: 'content-api' })` returned
 * @param {object[]} routes this plugin's content-API routes, with full paths
 * @param {{ title: string, version: string, description: string, license: string, tag: object, servers: object[] }} about
 */
export const postProcess = (raw, routes, about) => {
  const components = { ...(raw.components?.schemas ?? {}) };
  const toSchema = schemaConverter(components);
  const securitySchemes = {};
  const paths = {};
  for (const route of routes) {
    const label = `${route.method} ${route.path}`;
    if (!route.openapi) fail(`${label} has no \`openapi\` extension (see routes/docs.ts)`);
    const path = route.path.replace(/:([^/]+)/g, '{$1}');
    const method = route.method.toLowerCase();
    const generated = raw.paths?.[path]?.[method] ?? fail(`the generator did not list ${label}`);
    paths[path] = {
      ...paths[path],
      [method]: buildOperation(route, generated, toSchema, securitySchemes, [about.tag.name]),
    };
  }
  const document = {
    openapi: raw.openapi,
    info: {
      title: about.title,
      version: about.version,
      description: about.description,
      license: { name: about.license, identifier: about.license },
    },
    servers: about.servers,
    tags: [about.tag],
    paths,
    'x-powered-by': raw['x-powered-by'],
    'x-strapi-version': raw['x-strapi-version'],
  };
  document.components = {
    schemas: referencedSchemas(paths, components),
    securitySchemes,
  };
  return stableOrder(document);
};

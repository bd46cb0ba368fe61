// The versioned single type, built from the one list of fields
// (shared/settings-fields.ts). Constraints here are enforced by Strapi on every
// write path; the REST API validates the same rules up front to answer 422 with
// every offending field. Draft & Publish: the draft is where the founder
// prepares changes; only publishing makes a version (see services/versioning.ts).
import {
  SETTINGS_FIELD_NAMES,
  SETTINGS_FIELDS,
  type FieldDefinition,
} from '../../../../shared/settings-fields';

export { CTA_URL_PATTERN, HEX_COLOR_PATTERN } from '../../../../shared/settings-fields';

const attributeOf = (field: FieldDefinition) => {
  // Label, help and group travel with the attribute, for the admin's form and labels.
  const pluginOptions = {
    'platform-settings': { label: field.label, help: field.help, group: field.group },
  };
  switch (field.type) {
    case 'string':
    case 'text':
      return {
        type: field.type,
        ...(field.required ? { required: true } : {}),
        ...(field.minLength ? { minLength: field.minLength } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.regex ? { regex: field.regex } : {}),
        pluginOptions,
      };
    case 'boolean':
      // Never null: a switch with no "clear" in the form (old null snapshots read as the default).
      return { type: 'boolean', required: true, default: field.default, pluginOptions };
    case 'integer':
    case 'decimal':
      return {
        type: field.type,
        min: field.min,
        max: field.max,
        default: field.default,
        pluginOptions,
      };
  }
};

export default {
  kind: 'singleType',
  collectionName: 'platform_settings',
  info: {
    singularName: 'setting',
    pluralName: 'settings',
    displayName: 'Platform settings',
    description: 'Global settings of the platform. Every publish is a new, immutable version.',
  },
  options: {
    draftAndPublish: true,
  },
  pluginOptions: {
    'content-manager': { visible: true },
    'content-type-builder': { visible: false },
    i18n: { localized: false },
  },
  attributes: {
    ...Object.fromEntries(
      SETTINGS_FIELD_NAMES.map((name) => [
        name,
        attributeOf(SETTINGS_FIELDS[name] as FieldDefinition),
      ])
    ),
    // Server-managed: set by the versioning service, never by a client.
    version: { type: 'integer', min: 1, default: 1 },
  },
};

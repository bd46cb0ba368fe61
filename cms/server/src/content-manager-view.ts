/**
 * The Content Manager's form for the settings, made for the founder: every
 * field with its human label and one-line help (from shared/settings-fields.ts),
 * grouped (brand, hero copy, call to action, 3D hero, operations) in rows that
 * fit a 1280 px screen, and `version` shown read-only at the end. Applied by
 * the plugin at bootstrap, so a fresh install shows it without "Configure the
 * view"; applied again only when the plugin's layout changes (a revision kept in
 * the plugin's store), so an admin's own adjustments stay.
 */
import type { Core } from '@strapi/strapi';
import {
  FIELD_GROUPS,
  SETTINGS_FIELD_NAMES,
  SETTINGS_FIELDS,
  type FieldDefinition,
} from '../../shared/settings-fields';
import { SETTINGS_UID } from './utils/constants';

/** Bump when the layout below changes, to apply it again over an older one. */
const LAYOUT_REVISION = 1;

interface FieldMetadata {
  edit?: Record<string, unknown>;
  list?: Record<string, unknown>;
}

interface ViewConfiguration {
  settings?: Record<string, unknown>;
  metadatas?: Record<string, FieldMetadata>;
  layouts?: { edit?: { name: string; size: number }[][]; list?: string[] } & Record<
    string,
    unknown
  >;
}

interface ContentTypesService {
  findContentType(uid: string): { uid: string } | null | undefined;
  findConfiguration(contentType: { uid: string }): Promise<ViewConfiguration>;
  updateConfiguration(
    contentType: { uid: string },
    configuration: ViewConfiguration
  ): Promise<unknown>;
}

/** Columns out of 12: short inputs share a row, long text gets the whole row. */
const sizeOf = (field: FieldDefinition) => {
  if (field.type === 'text' || (field.type === 'string' && (field.maxLength ?? 0) > 400)) return 12;
  if (field.type === 'string' && !('color' in field && field.color)) return 6;
  return 4;
};

/** The rows of the edit form: each group starts a new row; fields fill rows of 12. */
export const editLayout = (): { name: string; size: number }[][] => {
  const rows: { name: string; size: number }[][] = [];
  for (const group of FIELD_GROUPS) {
    let row: { name: string; size: number }[] = [];
    let used = 0;
    for (const name of SETTINGS_FIELD_NAMES) {
      const field = SETTINGS_FIELDS[name] as FieldDefinition;
      if (field.group !== group.id) continue;
      const size = sizeOf(field);
      if (used + size > 12) {
        rows.push(row);
        row = [];
        used = 0;
      }
      row.push({ name, size });
      used += size;
    }
    if (row.length > 0) rows.push(row);
  }
  rows.push([{ name: 'version', size: 4 }]);
  return rows;
};

const groupLabel = (id: string) => FIELD_GROUPS.find((group) => group.id === id)?.label ?? id;

export const applyFormLayout = async (strapi: Core.Strapi) => {
  const contentManager = strapi.plugin('content-manager');
  if (!contentManager) return;
  const service = contentManager.service('content-types') as unknown as ContentTypesService;
  const contentType = service.findContentType(SETTINGS_UID);
  if (!contentType) return;

  const store = strapi.store({ type: 'plugin', name: 'platform-settings', key: 'form-layout' });
  if ((await store.get()) === LAYOUT_REVISION) return;
  const { settings, metadatas, layouts } = await service.findConfiguration(contentType);
  // Not synced yet: the Content Manager creates it on its own bootstrap.
  if (!settings || !metadatas || !layouts) return;

  const fieldMetadatas = Object.fromEntries(
    SETTINGS_FIELD_NAMES.map((name) => {
      const field = SETTINGS_FIELDS[name] as FieldDefinition;
      const current = metadatas[name] ?? {};
      return [
        name,
        {
          ...current,
          edit: {
            ...current.edit,
            // The group in the label keeps the sections readable in Strapi's flat form.
            label: `${groupLabel(field.group)} · ${field.label}`,
            description: field.help,
            placeholder: '',
            visible: true,
            editable: true,
          },
          list: { ...current.list, label: field.label },
        },
      ];
    })
  );
  const version = metadatas.version ?? {};
  await service.updateConfiguration(contentType, {
    settings,
    layouts: { ...layouts, edit: editLayout() },
    metadatas: {
      ...metadatas,
      ...fieldMetadatas,
      version: {
        ...version,
        edit: {
          ...version.edit,
          label: 'Version',
          editable: false,
          description: 'Set by the server on every publish; roll back from "Settings history".',
        },
      },
    },
  });
  await store.set({ value: LAYOUT_REVISION });
};

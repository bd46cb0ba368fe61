/**
 * The Content Manager edit view of the settings: `version` is shown but read-only.
 * The versioning middleware overwrites whatever is sent for it anyway; this
 * keeps editors from believing they can set it.
 */
import type { Core } from '@strapi/strapi';
import { SETTINGS_UID } from './utils/constants';

interface FieldMetadata {
  edit?: Record<string, unknown>;
  list?: Record<string, unknown>;
}

interface ViewConfiguration {
  settings?: Record<string, unknown>;
  metadatas?: Record<string, FieldMetadata>;
  layouts?: Record<string, unknown>;
}

interface ContentTypesService {
  findContentType(uid: string): { uid: string } | null | undefined;
  findConfiguration(contentType: { uid: string }): Promise<ViewConfiguration>;
  updateConfiguration(
    contentType: { uid: string },
    configuration: ViewConfiguration
  ): Promise<unknown>;
}

export const lockVersionField = async (strapi: Core.Strapi) => {
  const contentManager = strapi.plugin('content-manager');
  if (!contentManager) return;
  const service = contentManager.service('content-types') as unknown as ContentTypesService;
  const contentType = service.findContentType(SETTINGS_UID);
  if (!contentType) return;

  const { settings, metadatas, layouts } = await service.findConfiguration(contentType);
  const version = metadatas?.version;
  // Not synced yet (the Content Manager creates it on its own bootstrap), or already locked.
  if (!settings || !metadatas || !layouts || !version || version.edit?.editable === false) return;

  await service.updateConfiguration(contentType, {
    settings,
    layouts,
    metadatas: {
      ...metadatas,
      version: {
        ...version,
        edit: {
          ...version.edit,
          editable: false,
          description: 'Set by the server on every change; roll back from "Settings history".',
        },
      },
    },
  });
};

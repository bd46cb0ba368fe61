// Types of `platform-settings/preview` (server/src/preview-config.ts), for host apps whose
// TypeScript resolves packages without their `exports` map.
export interface PreviewConfigOptions {
  /** The site that renders the settings, e.g. the web app's URL. */
  siteUrl: string;
  /** Off: Strapi shows no Preview button. */
  enabled?: boolean;
}

export interface PreviewParams {
  documentId?: string;
  locale?: string | null;
  status?: string;
}

export interface PreviewConfig {
  enabled: boolean;
  config: {
    allowedOrigins: string[];
    siteUrl: string;
    handler(uid: string, params: PreviewParams): Promise<string | null>;
  };
}

/** Strapi's `preview` setting (config/admin.ts) for the platform settings. */
export declare const previewConfig: (options: PreviewConfigOptions) => PreviewConfig;

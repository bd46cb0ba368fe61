/**
 * "Preview on site" for one version of a type, or for its draft: a token for that version (or
 * draft) only, and the site in a new tab (`noopener`: the site cannot reach back into the admin),
 * so an editor sees an old version rendered before rolling back to it, or a draft before
 * publishing it. A type's draft token also shows the settings' draft when this admin may read them.
 */
import * as React from 'react';
import { Button, IconButton } from '@strapi/design-system';
import { Monitor } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { previewLink } from '../../../shared/preview-link';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { mintPreviewToken, previewSiteUrl } from '../preview/bridge';
import { getTranslation } from '../utils/getTranslation';

/** `version` left out: the draft. */
const usePreviewOnSite = (typeKey: string, version?: number) => {
  const { toggleNotification } = useNotification();
  const errorMessage = useErrorMessage();
  const { formatMessage } = useIntl();
  const [busy, setBusy] = React.useState(false);
  const open = async () => {
    setBusy(true);
    try {
      const siteUrl = await previewSiteUrl();
      if (!siteUrl) {
        toggleNotification({
          type: 'warning',
          message: formatMessage({
            id: getTranslation('preview.notConfigured'),
            defaultMessage: 'No preview site is configured (config/admin.ts, PREVIEW_SITE_URL).',
          }),
        });
        return;
      }
      const { token } = await mintPreviewToken(
        version === undefined ? { scope: 'draft' } : { scope: 'version', version },
        typeKey
      );
      window.open(previewLink(siteUrl, token), '_blank', 'noopener,noreferrer');
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: formatMessage({
          id: getTranslation('preview.failed'),
          defaultMessage: 'Could not open the preview',
        }),
        message: errorMessage(error),
      });
    } finally {
      setBusy(false);
    }
  };
  return { open, busy };
};

/** `compact`: an icon in a table row; otherwise a labelled button. `version` left out: the draft. */
export const PreviewOnSiteButton = ({
  typeKey = 'settings',
  version,
  compact = false,
}: {
  typeKey?: string;
  version?: number;
  compact?: boolean;
}) => {
  const { open, busy } = usePreviewOnSite(typeKey, version);
  const { formatMessage } = useIntl();
  if (version === undefined) {
    return (
      <Button variant="tertiary" startIcon={<Monitor />} loading={busy} onClick={() => void open()}>
        {formatMessage({
          id: getTranslation('preview.draftButton'),
          defaultMessage: 'Preview draft on site',
        })}
      </Button>
    );
  }
  if (compact) {
    return (
      <IconButton
        label={formatMessage(
          {
            id: getTranslation('preview.versionLabel'),
            defaultMessage: 'Preview version {version} on the site',
          },
          { version }
        )}
        variant="ghost"
        disabled={busy}
        onClick={() => void open()}
      >
        <Monitor />
      </IconButton>
    );
  }
  return (
    <Button variant="tertiary" startIcon={<Monitor />} loading={busy} onClick={() => void open()}>
      {formatMessage({ id: getTranslation('preview.button'), defaultMessage: 'Preview on site' })}
    </Button>
  );
};

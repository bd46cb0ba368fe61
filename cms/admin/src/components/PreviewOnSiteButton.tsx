/**
 * "Preview on site" for one version: a token for that version only, and the site in a new
 * tab (`noopener`: the site cannot reach back into the admin), so an editor sees an old
 * version rendered before rolling back to it.
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

const usePreviewOnSite = (version: number) => {
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
      const { token } = await mintPreviewToken({ scope: 'version', version });
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

/** `compact`: an icon in a table row; otherwise a labelled button. */
export const PreviewOnSiteButton = ({
  version,
  compact = false,
}: {
  version: number;
  compact?: boolean;
}) => {
  const { open, busy } = usePreviewOnSite(version);
  const { formatMessage } = useIntl();
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

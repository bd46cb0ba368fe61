/** Pinning marks a version as known-good; archiving never removes pinned versions. */
import * as React from 'react';
import { Button, Field, Modal, TextInput, Typography, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

const MAX_LABEL_LENGTH = 120;

interface PinDialogProps {
  version: number;
  onClose: () => void;
  onPin: (label: string | null) => Promise<void>;
}

export const PinDialog = ({ version, onClose, onPin }: PinDialogProps) => {
  const [label, setLabel] = React.useState('');
  const [isSubmitting, setSubmitting] = React.useState(false);
  const tooLong = label.trim().length > MAX_LABEL_LENGTH;
  const { formatMessage } = useIntl();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    try {
      await onPin(label.trim() || null);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && !isSubmitting && onClose()}>
      <Modal.Content>
        <form onSubmit={submit}>
          <Modal.Header>
            <Modal.Title>
              {formatMessage(
                { id: getTranslation('pin.dialog.title'), defaultMessage: 'Pin version {version}' },
                { version }
              )}
            </Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography>
                {formatMessage({
                  id: getTranslation('pin.dialog.description'),
                  defaultMessage:
                    'A pinned version is marked as known-good in the history and is never archived.',
                })}
              </Typography>
              <Field.Root
                name="label"
                hint={formatMessage({
                  id: getTranslation('pin.dialog.labelHint'),
                  defaultMessage: 'Optional, e.g. “Launch day”',
                })}
                error={
                  tooLong
                    ? formatMessage(
                        {
                          id: getTranslation('form.tooLong'),
                          defaultMessage: 'At most {max} characters',
                        },
                        { max: MAX_LABEL_LENGTH }
                      )
                    : undefined
                }
              >
                <Field.Label>
                  {formatMessage({
                    id: getTranslation('pin.dialog.label'),
                    defaultMessage: 'Label',
                  })}
                </Field.Label>
                <TextInput
                  value={label}
                  onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                    setLabel(event.target.value)
                  }
                  autoFocus
                />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Button variant="tertiary" onClick={onClose} disabled={isSubmitting}>
              {formatMessage({ id: getTranslation('form.cancel'), defaultMessage: 'Cancel' })}
            </Button>
            <Button type="submit" loading={isSubmitting} disabled={tooLong}>
              {formatMessage({ id: getTranslation('pin.dialog.submit'), defaultMessage: 'Pin' })}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};

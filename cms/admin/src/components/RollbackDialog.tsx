/**
 * Rolling back: the dialog first asks the server for a dry run, so it shows
 * exactly what will change (and what cannot come back: fields the schema lost,
 * media or entries that no longer exist), then creates a new version (history
 * is never rewritten) with the optional note.
 */
import * as React from 'react';
import {
  Alert,
  Box,
  Button,
  Field,
  Flex,
  Loader,
  Modal,
  Textarea,
  Typography,
} from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { SETTINGS_KEY } from '../pluginId';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { usePlanRollbackQuery, useRollbackMutation } from '../services/api';
import { fieldLabel } from '../utils/fields';
import { getTranslation } from '../utils/getTranslation';
import { DiffTable } from './DiffTable';

const MAX_NOTE_LENGTH = 500;

interface RollbackDialogProps {
  /** The key of the type to roll back. */
  type: string;
  version: number;
  onClose: () => void;
  /** Called after a successful rollback with the new live version. */
  onDone: (newVersion: number) => void;
}

export const RollbackDialog = ({ type, version, onClose, onDone }: RollbackDialogProps) => {
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const { formatMessage, formatList } = useIntl();
  // Asked again each time the dialog opens: the live version or the draft may have moved.
  const plan = usePlanRollbackQuery({ type, version }, { refetchOnMountOrArgChange: true });
  const isSettings = type === SETTINGS_KEY;
  const [rollback] = useRollbackMutation();
  const [note, setNote] = React.useState('');
  const [isSubmitting, setSubmitting] = React.useState(false);

  const diff = plan.data?.data.diff ?? [];
  const liveVersion = plan.data?.meta.liveVersion;
  const skipped = plan.data?.meta.skippedFields ?? [];
  const missing = plan.data?.meta.missingReferences ?? [];
  const noteTooLong = note.length > MAX_NOTE_LENGTH;

  const confirm = async () => {
    setSubmitting(true);
    try {
      const result = await rollback({ type, version, note: note.trim() || undefined }).unwrap();
      const values = { newVersion: result.data.version, version };
      toggleNotification({
        type: 'success',
        title: formatMessage({
          id: getTranslation('rollback.done.title'),
          defaultMessage: 'Rolled back',
        }),
        message: isSettings
          ? formatMessage(
              {
                id: getTranslation('rollback.done'),
                defaultMessage:
                  'Version {newVersion} is live, with the settings of version {version}.',
              },
              values
            )
          : formatMessage(
              {
                id: getTranslation('rollback.done.content'),
                defaultMessage:
                  'Version {newVersion} is live, with the content of version {version}.',
              },
              values
            ),
      });
      onDone(result.data.version);
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: formatMessage({
          id: getTranslation('rollback.failed'),
          defaultMessage: 'Rollback failed',
        }),
        message: errorMessage(error),
      });
      setSubmitting(false);
    }
  };

  let body: React.ReactNode;
  if (plan.isLoading) {
    body = (
      <Flex justifyContent="center" padding={6}>
        <Loader>
          {formatMessage({
            id: getTranslation('rollback.planning'),
            defaultMessage: 'Working out what will change…',
          })}
        </Loader>
      </Flex>
    );
  } else if (plan.error) {
    body = (
      <Alert
        variant="danger"
        title={formatMessage({
          id: getTranslation('rollback.impossible'),
          defaultMessage: 'This version cannot be restored',
        })}
        closeLabel={formatMessage({ id: getTranslation('form.close'), defaultMessage: 'Close' })}
        onClose={onClose}
      >
        {errorMessage(plan.error)}
      </Alert>
    );
  } else {
    body = (
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography>
          {diff.length === 0
            ? isSettings
              ? formatMessage(
                  {
                    id: getTranslation('rollback.nothingToChange'),
                    defaultMessage:
                      'Version {version} holds the same settings as the live version {liveVersion}: rolling back would change nothing.',
                  },
                  { version, liveVersion }
                )
              : formatMessage(
                  {
                    id: getTranslation('rollback.nothingToChange.content'),
                    defaultMessage:
                      'Version {version} holds the same content as the live version {liveVersion}: rolling back would change nothing.',
                  },
                  { version, liveVersion }
                )
            : isSettings
              ? formatMessage(
                  {
                    id: getTranslation('rollback.summary'),
                    defaultMessage:
                      'A new version will be created with the settings of version {version}. {count, plural, one {# field} other {# fields}} will change; the history is kept as it is.',
                  },
                  { version, count: diff.length }
                )
              : formatMessage(
                  {
                    id: getTranslation('rollback.summary.content'),
                    defaultMessage:
                      'A new version will be created with the content of version {version}. {count, plural, one {# field} other {# fields}} will change; the history is kept as it is.',
                  },
                  { version, count: diff.length }
                )}
        </Typography>
        {skipped.length > 0 && (
          <Alert
            variant="warning"
            title={formatMessage({
              id: getTranslation('rollback.skipped.title'),
              defaultMessage: 'Fields no longer in the schema',
            })}
            closeLabel={formatMessage({
              id: getTranslation('form.close'),
              defaultMessage: 'Close',
            })}
          >
            {formatMessage(
              {
                id: getTranslation('rollback.skipped'),
                defaultMessage: '{fields} will be skipped.',
              },
              { fields: formatList(skipped.map(fieldLabel), { type: 'conjunction' }) }
            )}
          </Alert>
        )}
        {missing.length > 0 && (
          <Alert
            variant="warning"
            title={formatMessage({
              id: getTranslation('rollback.missing.title'),
              defaultMessage: 'Links that no longer resolve',
            })}
            closeLabel={formatMessage({
              id: getTranslation('form.close'),
              defaultMessage: 'Close',
            })}
          >
            {formatMessage(
              {
                id: getTranslation('rollback.missing'),
                defaultMessage:
                  '{paths}: the media or entries this version points to no longer exist or are not published, so they will be left out.',
              },
              {
                paths: formatList([...new Set(missing.map((reference) => reference.path))], {
                  type: 'conjunction',
                }),
              }
            )}
          </Alert>
        )}
        {diff.length > 0 && (
          <Box data-testid="rollback-diff">
            <DiffTable
              diff={diff}
              fromLabel={formatMessage(
                { id: getTranslation('rollback.diff.from'), defaultMessage: 'Live (v{version})' },
                { version: liveVersion }
              )}
              toLabel={formatMessage({
                id: getTranslation('rollback.diff.to'),
                defaultMessage: 'After rollback',
              })}
            />
          </Box>
        )}
        <Field.Root
          name="note"
          hint={formatMessage(
            {
              id: getTranslation('rollback.note.hint'),
              defaultMessage: 'Optional, stored on the new version ({length}/{max})',
            },
            { length: note.length, max: MAX_NOTE_LENGTH }
          )}
          error={
            noteTooLong
              ? formatMessage(
                  {
                    id: getTranslation('form.tooLong'),
                    defaultMessage: 'At most {max} characters',
                  },
                  { max: MAX_NOTE_LENGTH }
                )
              : undefined
          }
        >
          <Field.Label>
            {formatMessage({ id: getTranslation('rollback.note.label'), defaultMessage: 'Note' })}
          </Field.Label>
          <Textarea
            value={note}
            onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
              setNote(event.target.value)
            }
            placeholder={formatMessage({
              id: getTranslation('rollback.note.placeholder'),
              defaultMessage: 'Why are you rolling back?',
            })}
          />
          <Field.Hint />
          <Field.Error />
        </Field.Root>
      </Flex>
    );
  }

  return (
    <Modal.Root open onOpenChange={(open) => !open && !isSubmitting && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            {formatMessage(
              {
                id: getTranslation('rollback.dialog.title'),
                defaultMessage: 'Roll back to version {version}?',
              },
              { version }
            )}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>{body}</Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose} disabled={isSubmitting}>
            {formatMessage({ id: getTranslation('form.cancel'), defaultMessage: 'Cancel' })}
          </Button>
          <Button
            variant="danger-light"
            onClick={confirm}
            loading={isSubmitting}
            disabled={!plan.data || diff.length === 0 || noteTooLong || isSubmitting}
          >
            {formatMessage(
              {
                id: getTranslation('rollback.dialog.submit'),
                defaultMessage: 'Roll back to v{version}',
              },
              { version }
            )}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

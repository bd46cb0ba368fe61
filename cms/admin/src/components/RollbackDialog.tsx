/**
 * Rolling back: the dialog first asks the server for a dry run, so it shows
 * exactly what will change, then creates a new version (history is never
 * rewritten) with the optional note.
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
import { useErrorMessage } from '../hooks/useErrorMessage';
import { usePlanRollbackQuery, useRollbackMutation } from '../services/api';
import { fieldLabel } from '../utils/fields';
import { DiffTable } from './DiffTable';

const MAX_NOTE_LENGTH = 500;

interface RollbackDialogProps {
  version: number;
  onClose: () => void;
  /** Called after a successful rollback with the new live version. */
  onDone: (newVersion: number) => void;
}

export const RollbackDialog = ({ version, onClose, onDone }: RollbackDialogProps) => {
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  // Asked again each time the dialog opens: the live version or the draft may have moved.
  const plan = usePlanRollbackQuery(version, { refetchOnMountOrArgChange: true });
  const [rollback] = useRollbackMutation();
  const [note, setNote] = React.useState('');
  const [isSubmitting, setSubmitting] = React.useState(false);

  const diff = plan.data?.data.diff ?? [];
  const liveVersion = plan.data?.meta.liveVersion;
  const skipped = plan.data?.meta.skippedFields ?? [];
  const noteTooLong = note.length > MAX_NOTE_LENGTH;

  const confirm = async () => {
    setSubmitting(true);
    try {
      const result = await rollback({ version, note: note.trim() || undefined }).unwrap();
      toggleNotification({
        type: 'success',
        title: 'Rolled back',
        message: `Version ${result.data.version} is live, with the settings of version ${version}.`,
      });
      onDone(result.data.version);
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: 'Rollback failed',
        message: errorMessage(error),
      });
      setSubmitting(false);
    }
  };

  let body: React.ReactNode;
  if (plan.isLoading) {
    body = (
      <Flex justifyContent="center" padding={6}>
        <Loader>Working out what will change…</Loader>
      </Flex>
    );
  } else if (plan.error) {
    body = (
      <Alert
        variant="danger"
        title="This version cannot be restored"
        closeLabel="Close"
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
            ? `Version ${version} holds the same settings as the live version ${liveVersion}: rolling back would change nothing.`
            : `A new version will be created with the settings of version ${version}. ${diff.length} field${diff.length === 1 ? '' : 's'} will change; the history is kept as it is.`}
        </Typography>
        {skipped.length > 0 && (
          <Alert variant="warning" title="Fields no longer in the schema" closeLabel="Close">
            {skipped.map(fieldLabel).join(', ')} will be skipped.
          </Alert>
        )}
        {diff.length > 0 && (
          <Box data-testid="rollback-diff">
            <DiffTable
              diff={diff}
              fromLabel={`Live (v${liveVersion})`}
              toLabel={`After rollback`}
            />
          </Box>
        )}
        <Field.Root
          name="note"
          hint={`Optional, stored on the new version (${note.length}/${MAX_NOTE_LENGTH})`}
          error={noteTooLong ? `At most ${MAX_NOTE_LENGTH} characters` : undefined}
        >
          <Field.Label>Note</Field.Label>
          <Textarea
            value={note}
            onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
              setNote(event.target.value)
            }
            placeholder="Why are you rolling back?"
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
          <Modal.Title>Roll back to version {version}?</Modal.Title>
        </Modal.Header>
        <Modal.Body>{body}</Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose} disabled={isSubmitting}>
            Cancel
          </Button>
          <Button
            variant="danger-light"
            onClick={confirm}
            loading={isSubmitting}
            disabled={!plan.data || diff.length === 0 || noteTooLong || isSubmitting}
          >
            Roll back to v{version}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

/**
 * "Schedule a change" of the type the page shows: publish the draft, roll back to a
 * version, or (the settings only) apply a patch of field values, at a date and time in the admin's own time zone
 * (named, with the UTC equivalent, since the server runs on UTC and the people
 * reading the schedule later may not share the zone). The server checks the
 * request; its 422 field errors show under the inputs they concern. The form's
 * state lives in hooks/useScheduleForm.ts, its inputs in ./schedule/.
 */
import { Alert, Button, Flex, Modal, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import type { Schedule } from '../../../shared/contracts/settings';
import { useCurrentType } from '../hooks/useCurrentType';
import { useErrorMessage } from '../hooks/useErrorMessage';
import { useScheduleForm } from '../hooks/useScheduleForm';
import { getTranslation } from '../utils/getTranslation';
import { describeTime } from '../utils/schedules';
import { ConditionField } from './schedule/ConditionField';
import { KindField } from './schedule/KindField';
import { NoteField } from './schedule/NoteField';
import { PatchFields } from './schedule/PatchFields';
import { RunAtFields } from './schedule/RunAtFields';

export type { ScheduleKind } from '../hooks/useScheduleForm';

interface ScheduleDialogProps {
  /** The live version now: the default of "only if live is still version N". */
  liveVersion: number;
  /** Opened from a version's actions: a rollback to that version, preselected. */
  initialRollbackTo?: number;
  onClose: () => void;
  onCreated: (schedule: Schedule) => void;
}

export const ScheduleDialog = ({
  liveVersion,
  initialRollbackTo,
  onClose,
  onCreated,
}: ScheduleDialogProps) => {
  const { formatMessage, locale } = useIntl();
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const { type } = useCurrentType();
  const form = useScheduleForm({
    type: type.key,
    liveVersion,
    initialRollbackTo,
    missingRunAtMessage: formatMessage({
      id: getTranslation('schedules.dialog.runAt.required'),
      defaultMessage: 'Choose a date and a time',
    }),
    onCreated: (created) => {
      toggleNotification({
        type: 'success',
        title: formatMessage({
          id: getTranslation('schedules.notification.created'),
          defaultMessage: 'Scheduled',
        }),
        message: formatMessage(
          { id: getTranslation('schedules.notification.created.when'), defaultMessage: '{when}.' },
          { when: describeTime(created.runAt, form.timeZone, locale).local }
        ),
      });
      onCreated(created);
    },
  });

  return (
    <Modal.Root open onOpenChange={(open) => !open && !form.isSubmitting && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            {formatMessage({
              id: getTranslation('schedules.dialog.title'),
              defaultMessage: 'Schedule a change',
            })}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={5}>
            {form.serverError !== undefined && (
              <Alert
                variant="danger"
                title={formatMessage({
                  id: getTranslation('schedules.dialog.error.title'),
                  defaultMessage: 'Not scheduled',
                })}
                closeLabel={formatMessage({
                  id: getTranslation('schedules.dialog.error.dismiss'),
                  defaultMessage: 'Dismiss',
                })}
                onClose={form.dismissServerError}
              >
                {errorMessage(form.serverError)}
                {form.otherErrors.map(([key, message]) => (
                  <Typography key={key} tag="div">
                    {formatMessage(
                      {
                        id: getTranslation('schedules.dialog.fieldError'),
                        defaultMessage: '{field}: {message}',
                      },
                      { field: key, message }
                    )}
                  </Typography>
                ))}
              </Alert>
            )}
            <KindField form={form} liveVersion={liveVersion} />
            {form.kind === 'patch' && <PatchFields form={form} />}
            <RunAtFields form={form} />
            <ConditionField form={form} liveVersion={liveVersion} />
            <NoteField form={form} />
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose} disabled={form.isSubmitting}>
            {formatMessage({
              id: getTranslation('schedules.dialog.cancel'),
              defaultMessage: 'Cancel',
            })}
          </Button>
          <Button onClick={form.submit} loading={form.isSubmitting} disabled={!form.canSubmit}>
            {formatMessage({
              id: getTranslation('schedules.dialog.submit'),
              defaultMessage: 'Schedule',
            })}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

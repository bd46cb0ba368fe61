/** The note a schedule stores on the version it makes. */
import * as React from 'react';
import { Field, Textarea } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { MAX_NOTE_LENGTH, type ScheduleForm } from '../../hooks/useScheduleForm';
import { getTranslation } from '../../utils/getTranslation';

export const NoteField = ({ form }: { form: ScheduleForm }) => {
  const { formatMessage } = useIntl();
  return (
    <Field.Root
      name="note"
      hint={formatMessage(
        {
          id: getTranslation('schedules.dialog.note.hint'),
          defaultMessage: 'Stored on the version it makes ({length}/{max})',
        },
        { length: form.note.length, max: MAX_NOTE_LENGTH }
      )}
      error={
        form.noteTooLong
          ? formatMessage(
              {
                id: getTranslation('schedules.dialog.note.tooLong'),
                defaultMessage: 'At most {max} characters',
              },
              { max: MAX_NOTE_LENGTH }
            )
          : form.errorFor('note')
      }
    >
      <Field.Label>
        {formatMessage({
          id: getTranslation('schedules.dialog.note.label'),
          defaultMessage: 'Note',
        })}
      </Field.Label>
      <Textarea
        value={form.note}
        onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
          form.setNote(event.target.value)
        }
        placeholder={formatMessage({
          id: getTranslation('schedules.dialog.note.placeholder'),
          defaultMessage: 'Why, and for whom? e.g. Launch: maintenance off',
        })}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

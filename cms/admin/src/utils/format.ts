/**
 * Author names, change types and dates in the admin's language. Each takes the
 * page's `useIntl()`.
 */
import type { IntlShape } from 'react-intl';
import type { ChangeAuthor, ChangeType } from '../../../shared/contracts/settings';
import { getTranslation } from './getTranslation';

export type Formatter = Pick<IntlShape, 'formatMessage' | 'formatDate'>;

export const authorName = (author: ChangeAuthor, intl: Formatter): string => {
  switch (author.kind) {
    case 'admin':
      if (author.name !== undefined) return author.name;
      return author.id !== undefined
        ? intl.formatMessage(
            { id: getTranslation('author.adminWithId'), defaultMessage: 'Admin #{id}' },
            { id: author.id }
          )
        : intl.formatMessage({ id: getTranslation('author.admin'), defaultMessage: 'Admin' });
    case 'api-token':
      return intl.formatMessage(
        { id: getTranslation('author.apiToken'), defaultMessage: 'API token {name}' },
        { name: author.name ?? `#${author.id ?? '?'}` }
      );
    case 'user':
      return intl.formatMessage(
        { id: getTranslation('author.user'), defaultMessage: 'User {name}' },
        { name: author.name ?? `#${author.id ?? '?'}` }
      );
    case 'founder-key':
      return intl.formatMessage({
        id: getTranslation('author.founderKey'),
        defaultMessage: 'Founder key (API)',
      });
    default:
      return intl.formatMessage({ id: getTranslation('author.system'), defaultMessage: 'System' });
  }
};

const CHANGE_TYPE_LABELS = {
  create: { id: getTranslation('changeType.create'), defaultMessage: 'Created' },
  update: { id: getTranslation('changeType.update'), defaultMessage: 'Edited' },
  rollback: { id: getTranslation('changeType.rollback'), defaultMessage: 'Rolled back' },
} satisfies Record<ChangeType, { id: string; defaultMessage: string }>;

export const changeTypeLabel = (changeType: ChangeType, intl: Formatter): string =>
  intl.formatMessage(CHANGE_TYPE_LABELS[changeType]);

/** A moment in the admin's locale, in the browser's time zone. */
export const formatDate = (iso: string, intl: Formatter): string =>
  intl.formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });

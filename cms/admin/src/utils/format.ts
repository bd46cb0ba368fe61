import type { ChangeAuthor, ChangeType } from '../../../shared/contracts/settings';

export const authorName = (author: ChangeAuthor): string => {
  switch (author.kind) {
    case 'admin':
      return author.name ?? (author.id !== undefined ? `Admin #${author.id}` : 'Admin');
    case 'founder-key':
      return 'Founder key (API)';
    default:
      return 'System';
  }
};

export const CHANGE_TYPE_LABELS: Record<ChangeType, string> = {
  create: 'Created',
  update: 'Edited',
  rollback: 'Rolled back',
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = (iso: string): string => dateFormat.format(new Date(iso));

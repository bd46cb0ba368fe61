/** Drops the schema template this run made (schema-template.ts). */
import { dropTemplate } from './schema-template';

export default async () => {
  await dropTemplate();
};

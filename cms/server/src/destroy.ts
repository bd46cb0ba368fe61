import type { Core } from '@strapi/strapi';

export default (_context: { strapi: Core.Strapi }) => {};

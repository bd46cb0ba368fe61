/** Typed access to the plugin's services, instead of string lookups scattered around. */
import type { Core } from '@strapi/strapi';
import type { Services } from '../services';
import { PLUGIN_ID } from './constants';

declare const strapi: Core.Strapi;

export const getService = <Name extends keyof Services>(name: Name): ReturnType<Services[Name]> =>
  strapi.plugin(PLUGIN_ID).service(name) as ReturnType<Services[Name]>;

/**
 * Scheduled changes of one versioned type in the admin (history page): list
 * them (the type's history.read), prepare one and cancel one (the type's
 * `schedule` permission). Preparing or cancelling one also needs the
 * permission of the change it makes (permissions.ts), checked again when it
 * runs. The settings' are at `/schedules` and `/types/settings/schedules`;
 * any other type's at `/types/<key>/schedules` (controller `<key>-schedules`).
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { CreateSchedule, ListSchedules } from '../../../shared/contracts/settings';
import { describePermission, missingPermissions, permissionsToSchedule } from '../permissions';
import { forbidden } from '../utils/errors';
import { getService } from '../utils/get-service';
import { adminAuthor, assertJsonBody } from '../utils/http';
import { parseVersionParam } from '../validation/settings';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';

export const adminSchedulesController =
  (type: VersionedType) =>
  ({ strapi }: { strapi: Core.Strapi }) => ({
    async list(ctx: Context) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        data: await getService('schedules').of(type).list(),
        meta: {},
      } satisfies ListSchedules.Response;
    },

    async create(ctx: Context) {
      assertJsonBody(ctx);
      const schedules = getService('schedules').of(type);
      const input = schedules.validate(ctx.request.body);
      const missing = await missingPermissions(
        strapi,
        ctx.state.user,
        permissionsToSchedule(input.kind, type)
      );
      if (missing.length > 0) {
        throw forbidden(
          `Scheduling a ${input.kind} needs the permission ${missing.map(describePermission).join(' and ')}`
        );
      }
      const schedule = await schedules.create(input, adminAuthor(ctx.state.user));
      void getService('adminEvents').changed('schedules');
      ctx.status = 201;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: schedule, meta: {} } satisfies CreateSchedule.Response;
    },

    /** Cancelling is a veto over the change: it needs the permission of that change too. */
    async cancel(ctx: Context) {
      const id = parseVersionParam(ctx.params.id);
      ctx.set('Cache-Control', 'no-store');
      const schedules = getService('schedules').of(type);
      const kind = await schedules.kindOf(id);
      if (kind) {
        const missing = await missingPermissions(
          strapi,
          ctx.state.user,
          permissionsToSchedule(kind, type)
        );
        if (missing.length > 0) {
          throw forbidden(
            `Cancelling a scheduled ${kind} needs the permission ${missing.map(describePermission).join(' and ')}`
          );
        }
      }
      ctx.body = { data: await schedules.cancel(id), meta: {} };
      void getService('adminEvents').changed('schedules');
    },
  });

export default adminSchedulesController(SETTINGS_TYPE);

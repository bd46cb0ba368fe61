/**
 * Typed calls to the plugin's admin API (`/platform-settings/*`, admin JWT).
 * The fetch client adds the token and throws a FetchError on any non-2xx.
 */
import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type {
  CompareVersions,
  CreateSchedule,
  GetHistoryEntry,
  GetLiveSettings,
  ListHistory,
  ListSchedules,
  PinVersion,
  Rollback,
} from '../../shared/contracts/settings';
import { PLUGIN_ID } from './pluginId';

const base = `/${PLUGIN_ID}`;

export const useSettingsApi = () => {
  const { get, post, del } = useFetchClient();
  return React.useMemo(
    () => ({
      listHistory: async (query: ListHistory.Query) =>
        (await get<ListHistory.Response>(`${base}/history`, { params: query })).data,

      getVersion: async (version: number) =>
        (await get<GetHistoryEntry.Response>(`${base}/history/${version}`)).data.data,

      compare: async (query: CompareVersions.Query) =>
        (await get<CompareVersions.Response>(`${base}/history/compare`, { params: query })).data
          .data,

      live: async () => (await get<GetLiveSettings.Response>(`${base}/live`)).data.data,

      pin: async (version: number, label: string | null) =>
        (
          await post<PinVersion.Response, PinVersion.Request>(`${base}/history/${version}/pin`, {
            label,
          })
        ).data.data,

      unpin: async (version: number) =>
        (await del<PinVersion.Response>(`${base}/history/${version}/pin`)).data.data,

      planRollback: async (version: number) =>
        (
          await post<Rollback.DryRunResponse, Rollback.Request>(
            `${base}/rollback/${version}`,
            {},
            { params: { dryRun: 'true' } }
          )
        ).data,

      rollback: async (version: number, note: string | undefined) =>
        (
          await post<Rollback.Response, Rollback.Request>(
            `${base}/rollback/${version}`,
            note ? { note } : {}
          )
        ).data,

      listSchedules: async () => (await get<ListSchedules.Response>(`${base}/schedules`)).data.data,

      createSchedule: async (body: CreateSchedule.Request) =>
        (await post<CreateSchedule.Response, CreateSchedule.Request>(`${base}/schedules`, body))
          .data.data,

      cancelSchedule: async (id: number) =>
        (await del<CreateSchedule.Response>(`${base}/schedules/${id}`)).data.data,
    }),
    [get, post, del]
  );
};

export type SettingsApi = ReturnType<typeof useSettingsApi>;

/**
 * The plugin's admin API (`/platform-settings/*`, admin JWT) on the admin's own data layer:
 * Strapi's RTK Query `adminApi`, with cache tags so each change refreshes exactly what it
 * changed, and live updates (hooks/useLiveUpdates.ts) invalidating the same tags.
 *
 * - PlatformSettingsLive: the live version (a rollback, or a new version on the public stream).
 * - PlatformSettingsHistory 'LIST': the history pages (new versions).
 * - PlatformSettingsVersion <n>: one version's entry and the rows showing it (its pin).
 * - PlatformSettingsPin 'LIST': the pinned versions (pin, unpin).
 * - PlatformSettingsSchedule 'LIST': the schedules (create, cancel, a run; their diffs
 *   also depend on the live version, so the list provides Live too).
 */
import { adminApi } from '@strapi/strapi/admin';
import type {
  CompareVersions,
  CreateSchedule,
  GetHistoryEntry,
  GetLiveSettings,
  ListHistory,
  ListSchedules,
  PinVersion,
  Rollback,
} from '../../../shared/contracts/settings';
import { PLUGIN_ID } from '../pluginId';

const base = `/${PLUGIN_ID}`;

export const TAGS = {
  live: 'PlatformSettingsLive',
  history: 'PlatformSettingsHistory',
  version: 'PlatformSettingsVersion',
  pin: 'PlatformSettingsPin',
  schedule: 'PlatformSettingsSchedule',
} as const;

const LIST = 'LIST';

/** The newest live version any response or event showed (see useLiveUpdates). */
let knownLiveVersion: number | undefined;
export const lastKnownLiveVersion = () => knownLiveVersion;
export const noteLiveVersion = (version: number) => {
  knownLiveVersion = version;
};

const settingsApi = adminApi
  .enhanceEndpoints({ addTagTypes: Object.values(TAGS) })
  .injectEndpoints({
    endpoints: (build) => ({
      listHistory: build.query<ListHistory.Response, ListHistory.Query>({
        query: (params) => ({ url: `${base}/history`, method: 'GET', config: { params } }),
        providesTags: (result, _error, params) => [
          { type: TAGS.history, id: LIST },
          ...(params.pinned ? [{ type: TAGS.pin, id: LIST }] : []),
          ...(result?.data ?? []).map((entry) => ({ type: TAGS.version, id: entry.version })),
        ],
        onQueryStarted: async (_params, { queryFulfilled }) => {
          const { data } = await queryFulfilled.catch(() => ({ data: undefined }));
          if (data) noteLiveVersion(data.meta.liveVersion);
        },
      }),

      getVersion: build.query<GetHistoryEntry.Response['data'], number>({
        query: (version) => `${base}/history/${version}`,
        transformResponse: (response: GetHistoryEntry.Response) => response.data,
        providesTags: (_result, _error, version) => [{ type: TAGS.version, id: version }],
      }),

      // Versions never change, so a diff between two of them is cached as is.
      compareVersions: build.query<
        CompareVersions.Response['data'],
        Required<CompareVersions.Query>
      >({
        query: (params) => ({
          url: `${base}/history/compare`,
          method: 'GET',
          config: { params },
        }),
        transformResponse: (response: CompareVersions.Response) => response.data,
      }),

      getLive: build.query<GetLiveSettings.Response['data'], void>({
        query: () => `${base}/live`,
        transformResponse: (response: GetLiveSettings.Response) => response.data,
        providesTags: [TAGS.live],
        onQueryStarted: async (_arg, { queryFulfilled }) => {
          const { data } = await queryFulfilled.catch(() => ({ data: undefined }));
          if (data) noteLiveVersion(data.settings.version);
        },
      }),

      pinVersion: build.mutation<
        PinVersion.Response['data'],
        { version: number; label: string | null }
      >({
        query: ({ version, label }) => ({
          url: `${base}/history/${version}/pin`,
          method: 'POST',
          data: { label } satisfies PinVersion.Request,
        }),
        transformResponse: (response: PinVersion.Response) => response.data,
        invalidatesTags: (_result, _error, { version }) => [
          { type: TAGS.version, id: version },
          { type: TAGS.pin, id: LIST },
        ],
      }),

      unpinVersion: build.mutation<PinVersion.Response['data'], number>({
        query: (version) => ({ url: `${base}/history/${version}/pin`, method: 'DELETE' }),
        transformResponse: (response: PinVersion.Response) => response.data,
        invalidatesTags: (_result, _error, version) => [
          { type: TAGS.version, id: version },
          { type: TAGS.pin, id: LIST },
        ],
      }),

      // What a rollback would change: asked again each time the dialog opens.
      planRollback: build.query<Rollback.DryRunResponse, number>({
        query: (version) => ({
          url: `${base}/rollback/${version}`,
          method: 'POST',
          data: {} satisfies Rollback.Request,
          config: { params: { dryRun: 'true' } },
        }),
        providesTags: [TAGS.live],
      }),

      rollback: build.mutation<Rollback.Response, { version: number; note?: string }>({
        query: ({ version, note }) => ({
          url: `${base}/rollback/${version}`,
          method: 'POST',
          data: (note ? { note } : {}) satisfies Rollback.Request,
        }),
        invalidatesTags: [TAGS.live, { type: TAGS.history, id: LIST }],
      }),

      listSchedules: build.query<ListSchedules.Response['data'], void>({
        query: () => `${base}/schedules`,
        transformResponse: (response: ListSchedules.Response) => response.data,
        // What each pending schedule would change depends on the live version.
        providesTags: [{ type: TAGS.schedule, id: LIST }, TAGS.live],
      }),

      createSchedule: build.mutation<CreateSchedule.Response['data'], CreateSchedule.Request>({
        query: (body) => ({ url: `${base}/schedules`, method: 'POST', data: body }),
        transformResponse: (response: CreateSchedule.Response) => response.data,
        invalidatesTags: [{ type: TAGS.schedule, id: LIST }],
      }),

      cancelSchedule: build.mutation<CreateSchedule.Response['data'], number>({
        query: (id) => ({ url: `${base}/schedules/${id}`, method: 'DELETE' }),
        transformResponse: (response: CreateSchedule.Response) => response.data,
        invalidatesTags: [{ type: TAGS.schedule, id: LIST }],
      }),
    }),
  });

export { settingsApi };

export const {
  useListHistoryQuery,
  useGetVersionQuery,
  useCompareVersionsQuery,
  useGetLiveQuery,
  usePinVersionMutation,
  useUnpinVersionMutation,
  usePlanRollbackQuery,
  useRollbackMutation,
  useListSchedulesQuery,
  useCreateScheduleMutation,
  useCancelScheduleMutation,
} = settingsApi;

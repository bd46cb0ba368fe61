/**
 * The plugin's admin API (`/platform-settings/*`, admin JWT) on the admin's own data layer:
 * Strapi's RTK Query `adminApi`, with cache tags so each change refreshes exactly what it
 * changed, and live updates (hooks/useLiveUpdates.ts) invalidating the same tags.
 *
 * Each versioned type's history is under `/platform-settings/types/<key>` (the settings'
 * too, key `settings`); the tags of a type carry its key, so a rollback of the home page
 * refreshes the home page's history and nothing of the settings':
 *
 * - PlatformSettingsTypes: the types the admin may read.
 * - PlatformSettingsLive <key>: a type's live version (a rollback; for the settings, also
 *   a new version on the public stream).
 * - PlatformSettingsHistory '<key>:LIST': a type's history pages (new versions).
 * - PlatformSettingsVersion '<key>:<n>': one version's entry and the rows showing it (its pin).
 * - PlatformSettingsPin '<key>:LIST': a type's pinned versions (pin, unpin).
 * - PlatformSettingsSchedule '<key>:LIST': a type's schedules (create, cancel, a run; their
 *   diffs also depend on the type's live version, so the list provides the type's Live too).
 */
import { adminApi } from '@strapi/strapi/admin';
import type {
  CompareVersions,
  CreateSchedule,
  GetHistoryEntry,
  GetLiveSettings,
  ListHistory,
  ListSchedules,
  ListVersionedTypes,
  PinVersion,
  Rollback,
  TypeRollback,
  VerifyHistory,
} from '../../../shared/contracts/settings';
import { PLUGIN_ID, SETTINGS_KEY } from '../pluginId';
import { responseIsStale } from './live-version';

const base = `/${PLUGIN_ID}`;
/** Where the admin API keeps a type's history. */
const typeBase = (type: string) => `${base}/types/${encodeURIComponent(type)}`;

export const TAGS = {
  types: 'PlatformSettingsTypes',
  live: 'PlatformSettingsLive',
  history: 'PlatformSettingsHistory',
  version: 'PlatformSettingsVersion',
  pin: 'PlatformSettingsPin',
  schedule: 'PlatformSettingsSchedule',
} as const;

/** The id of a type's list tag, or of one of its versions. */
export const typeTag = (type: string, id: number | 'LIST') => `${type}:${id}`;

/** Which type a request is about: its key (`settings`, `home-page`). */
export interface OfType {
  type: string;
}

const LIST = 'LIST';

const settingsApi = adminApi
  .enhanceEndpoints({ addTagTypes: Object.values(TAGS) })
  .injectEndpoints({
    endpoints: (build) => ({
      listTypes: build.query<ListVersionedTypes.Response['data'], void>({
        query: () => `${base}/types`,
        transformResponse: (response: ListVersionedTypes.Response) => response.data,
        providesTags: [TAGS.types],
      }),

      listHistory: build.query<ListHistory.Response, ListHistory.Query & OfType>({
        query: ({ type, ...params }) => ({
          url: `${typeBase(type)}/history`,
          method: 'GET',
          config: { params },
        }),
        providesTags: (result, _error, { type, pinned }) => [
          { type: TAGS.history, id: typeTag(type, 'LIST') },
          ...(pinned ? [{ type: TAGS.pin, id: typeTag(type, 'LIST') }] : []),
          ...(result?.data ?? []).map((entry) => ({
            type: TAGS.version,
            id: typeTag(type, entry.version),
          })),
        ],
        // Answered before a version the stream announced meanwhile: ask again (live-version.ts).
        onQueryStarted: async (args, { dispatch, queryFulfilled }) => {
          const { data } = await queryFulfilled.catch(() => ({ data: undefined }));
          if (!data || args.type !== SETTINGS_KEY) return;
          if (responseIsStale(`history ${JSON.stringify(args)}`, data.meta.liveVersion)) {
            dispatch(
              settingsApi.util.invalidateTags([
                { type: TAGS.history, id: typeTag(SETTINGS_KEY, 'LIST') },
              ])
            );
          }
        },
      }),

      getVersion: build.query<GetHistoryEntry.Response['data'], OfType & { version: number }>({
        query: ({ type, version }) => `${typeBase(type)}/history/${version}`,
        transformResponse: (response: GetHistoryEntry.Response) => response.data,
        providesTags: (_result, _error, { type, version }) => [
          { type: TAGS.version, id: typeTag(type, version) },
        ],
      }),

      // Versions never change, so a diff between two of them is cached as is.
      compareVersions: build.query<
        CompareVersions.Response['data'],
        Required<CompareVersions.Query> & OfType
      >({
        query: ({ type, ...params }) => ({
          url: `${typeBase(type)}/history/compare`,
          method: 'GET',
          config: { params },
        }),
        transformResponse: (response: CompareVersions.Response) => response.data,
      }),

      // Walks the whole chain: asked for, never kept (the next check must walk it again).
      verifyHistory: build.query<VerifyHistory.Response['data'], string>({
        query: (type) => `${typeBase(type)}/history/verify`,
        transformResponse: (response: VerifyHistory.Response) => response.data,
        keepUnusedDataFor: 0,
      }),

      /** The settings' live document (schedules and the schedule form need its fields). */
      getLive: build.query<GetLiveSettings.Response['data'], void>({
        query: () => `${base}/live`,
        transformResponse: (response: GetLiveSettings.Response) => response.data,
        providesTags: [{ type: TAGS.live, id: SETTINGS_KEY }],
        onQueryStarted: async (_arg, { dispatch, queryFulfilled }) => {
          const { data } = await queryFulfilled.catch(() => ({ data: undefined }));
          if (data && responseIsStale('live', data.settings.version)) {
            dispatch(settingsApi.util.invalidateTags([{ type: TAGS.live, id: SETTINGS_KEY }]));
          }
        },
      }),

      pinVersion: build.mutation<
        PinVersion.Response['data'],
        OfType & { version: number; label: string | null }
      >({
        query: ({ type, version, label }) => ({
          url: `${typeBase(type)}/history/${version}/pin`,
          method: 'POST',
          data: { label } satisfies PinVersion.Request,
        }),
        transformResponse: (response: PinVersion.Response) => response.data,
        invalidatesTags: (_result, _error, { type, version }) => [
          { type: TAGS.version, id: typeTag(type, version) },
          { type: TAGS.pin, id: typeTag(type, 'LIST') },
        ],
      }),

      unpinVersion: build.mutation<PinVersion.Response['data'], OfType & { version: number }>({
        query: ({ type, version }) => ({
          url: `${typeBase(type)}/history/${version}/pin`,
          method: 'DELETE',
        }),
        transformResponse: (response: PinVersion.Response) => response.data,
        invalidatesTags: (_result, _error, { type, version }) => [
          { type: TAGS.version, id: typeTag(type, version) },
          { type: TAGS.pin, id: typeTag(type, 'LIST') },
        ],
      }),

      // What a rollback would change: asked again each time the dialog opens.
      planRollback: build.query<TypeRollback.DryRunResponse, OfType & { version: number }>({
        query: ({ type, version }) => ({
          url: `${typeBase(type)}/rollback/${version}`,
          method: 'POST',
          data: {} satisfies Rollback.Request,
          config: { params: { dryRun: 'true' } },
        }),
        providesTags: (_result, _error, { type }) => [{ type: TAGS.live, id: type }],
      }),

      rollback: build.mutation<TypeRollback.Response, OfType & { version: number; note?: string }>({
        query: ({ type, version, note }) => ({
          url: `${typeBase(type)}/rollback/${version}`,
          method: 'POST',
          data: (note ? { note } : {}) satisfies Rollback.Request,
        }),
        invalidatesTags: (_result, _error, { type }) => [
          { type: TAGS.live, id: type },
          { type: TAGS.history, id: typeTag(type, 'LIST') },
        ],
      }),

      listSchedules: build.query<ListSchedules.Response['data'], OfType>({
        query: ({ type }) => `${typeBase(type)}/schedules`,
        transformResponse: (response: ListSchedules.Response) => response.data,
        // What each pending schedule would change depends on the live version.
        providesTags: (_result, _error, { type }) => [
          { type: TAGS.schedule, id: typeTag(type, LIST) },
          { type: TAGS.live, id: type },
        ],
      }),

      createSchedule: build.mutation<
        CreateSchedule.Response['data'],
        CreateSchedule.Request & OfType
      >({
        query: ({ type, ...body }) => ({
          url: `${typeBase(type)}/schedules`,
          method: 'POST',
          data: body satisfies CreateSchedule.Request,
        }),
        transformResponse: (response: CreateSchedule.Response) => response.data,
        invalidatesTags: (_result, _error, { type }) => [
          { type: TAGS.schedule, id: typeTag(type, LIST) },
        ],
      }),

      cancelSchedule: build.mutation<CreateSchedule.Response['data'], OfType & { id: number }>({
        query: ({ type, id }) => ({ url: `${typeBase(type)}/schedules/${id}`, method: 'DELETE' }),
        transformResponse: (response: CreateSchedule.Response) => response.data,
        invalidatesTags: (_result, _error, { type }) => [
          { type: TAGS.schedule, id: typeTag(type, LIST) },
        ],
      }),
    }),
  });

export { settingsApi };

export const {
  useListTypesQuery,
  useListHistoryQuery,
  useGetVersionQuery,
  useCompareVersionsQuery,
  useLazyVerifyHistoryQuery,
  useGetLiveQuery,
  usePinVersionMutation,
  useUnpinVersionMutation,
  usePlanRollbackQuery,
  useRollbackMutation,
  useListSchedulesQuery,
  useCreateScheduleMutation,
  useCancelScheduleMutation,
} = settingsApi;

/**
 * Keeps the open plugin pages current without polling, by invalidating the RTK Query tags
 * of services/api.ts:
 *
 * - New versions of the settings arrive on the PUBLIC event stream the site follows
 *   (`GET /api/platform-settings/events`, EventSource, which catches up by Last-Event-ID):
 *   the settings' live version and history are refetched, and a response already in flight,
 *   answered before the new version, is fetched again (services/live-version.ts).
 * - Schedules and pins (of any type), and new versions of the other types (whose public GET
 *   may be closed to visitors), arrive on the AUTHENTICATED admin stream
 *   (`GET /platform-settings/events`), which needs the admin's token in the Authorization
 *   header, so it is read with fetch and a ReadableStream. A reconnect (the server drained,
 *   the token expired) refetches all three, since events may have been missed.
 *
 * Both reconnect after the retry delay the server gives (30 s after a refusal).
 */
import * as React from 'react';
import { useDispatch } from 'react-redux';
import { attemptTokenRefresh, useAuth } from '@strapi/strapi/admin';
import { createParser } from 'eventsource-parser';
import type { GetSettings } from '../../../shared/contracts/settings';
import { PLUGIN_ID, SETTINGS_KEY } from '../pluginId';
import { settingsApi, TAGS, typeTag, useListTypesQuery } from '../services/api';
import { announceLiveVersion, lastKnownLiveVersion } from '../services/live-version';

type AdminTopic = 'schedules' | 'pins' | 'versions';
type Tags = Parameters<typeof settingsApi.util.invalidateTags>[0];

/** After a refusal (503) or an error the server did not time. */
const REFUSED_RETRY_MS = 30_000;
const DEFAULT_RETRY_MS = 3_000;

const backendUrl = () =>
  (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';

/** What to read again when a topic moved; `others` are the keys of the types besides the settings. */
const tagsOfTopic = (topic: AdminTopic, others: string[]): Tags => {
  switch (topic) {
    // The event does not say which type: every type's schedules shown are read again.
    case 'schedules':
      return [TAGS.schedule];
    // The event does not say which type or version: every pin list and version shown is checked again.
    case 'pins':
      return [TAGS.pin, TAGS.version];
    // A new version of another type: its live version and history list (the settings' come
    // from the public stream).
    case 'versions':
      return others.flatMap((key) => [
        { type: TAGS.live, id: key },
        { type: TAGS.history, id: typeTag(key, 'LIST') },
      ]);
  }
};

/** New versions, from the public stream. */
const usePublicVersions = (onNewVersion: () => void) => {
  React.useEffect(() => {
    if (typeof EventSource !== 'function') return undefined;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      let first = true;
      source = new EventSource(`${backendUrl()}/api/${PLUGIN_ID}/events`);
      source.addEventListener('settings', (event) => {
        const { data } = JSON.parse((event as MessageEvent<string>).data) as GetSettings.Response;
        const known = lastKnownLiveVersion();
        // The first frame is the state on connect: news only if the page showed another version.
        const isNew = !first || (known !== undefined && known !== data.version);
        first = false;
        announceLiveVersion(data.version);
        if (isNew) onNewVersion();
      });
      source.onerror = () => {
        // EventSource retries by itself, except after a refusal (a non-200 answer).
        if (source?.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, REFUSED_RETRY_MS);
      };
    };
    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [onNewVersion]);
};

/** Schedules and pins, from the admin stream. */
const useAdminChanges = (onTopics: (topics: AdminTopic[]) => void, onReconnect: () => void) => {
  const token = useAuth('PlatformSettingsLiveUpdates', (auth) => auth.token);
  const tokenRef = React.useRef(token);
  tokenRef.current = token;

  React.useEffect(() => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    let retryMs = DEFAULT_RETRY_MS;
    let connectedBefore = false;

    const later = (ms: number) => {
      if (!controller.signal.aborted) retry = setTimeout(() => void connect(), ms);
    };

    const connect = async (): Promise<void> => {
      try {
        const response = await fetch(`${backendUrl()}/${PLUGIN_ID}/events`, {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${tokenRef.current}` },
          signal: controller.signal,
        });
        if (response.status === 401) {
          // The access token expired: Strapi's own refresh, then again at once. A refresh that
          // fails means the session is over (logged out, revoked): Strapi takes the admin to
          // the login page, and retrying would only knock on the door every few seconds.
          const fresh = await attemptTokenRefresh(tokenRef.current).catch(() => null);
          if (!fresh || fresh === tokenRef.current) return;
          tokenRef.current = fresh;
          return later(0);
        }
        // This admin may not read the history (any more): nothing will change that but a reload.
        if (response.status === 403) return;
        if (!response.ok || !response.body) return later(REFUSED_RETRY_MS);
        const parser = createParser({
          onRetry: (ms) => {
            retryMs = ms;
          },
          onEvent: (event) => {
            if (event.event === 'ready') {
              if (connectedBefore) onReconnect();
              connectedBefore = true;
            } else if (event.event === 'changed') {
              onTopics((JSON.parse(event.data) as { topics: AdminTopic[] }).topics);
            }
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
        later(retryMs);
      } catch {
        // Aborted on unmount, or the connection dropped (or the session ended).
        later(retryMs);
      }
    };

    void connect();
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, [onTopics, onReconnect]);
};

/** Mounted once by the plugin's pages (pages/App.tsx). */
export const useLiveUpdates = () => {
  const dispatch = useDispatch();
  const { data: types } = useListTypesQuery();
  const othersRef = React.useRef<string[]>([]);
  othersRef.current = (types ?? []).map((type) => type.key).filter((key) => key !== SETTINGS_KEY);
  const onNewVersion = React.useCallback(
    () =>
      void dispatch(
        settingsApi.util.invalidateTags([
          { type: TAGS.live, id: SETTINGS_KEY },
          { type: TAGS.history, id: typeTag(SETTINGS_KEY, 'LIST') },
        ])
      ),
    [dispatch]
  );
  const onTopics = React.useCallback(
    (topics: AdminTopic[]) =>
      void dispatch(
        settingsApi.util.invalidateTags(
          topics.flatMap((topic) => tagsOfTopic(topic, othersRef.current))
        )
      ),
    [dispatch]
  );
  const onReconnect = React.useCallback(
    () => onTopics(['schedules', 'pins', 'versions']),
    [onTopics]
  );
  usePublicVersions(onNewVersion);
  useAdminChanges(onTopics, onReconnect);
};

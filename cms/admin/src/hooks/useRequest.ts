import * as React from 'react';

export interface RequestState<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  /** Loads again, keeping the previous data on screen meanwhile. */
  reload: () => void;
}

/**
 * Runs `load` whenever `key` changes. A response that arrives after a newer
 * request was started is dropped, so fast paging never shows an old page.
 */
export const useRequest = <T>(load: () => Promise<T>, key: string): RequestState<T> => {
  const [state, setState] = React.useState<{ data?: T; error: unknown; isLoading: boolean }>({
    error: undefined,
    isLoading: true,
  });
  const [generation, setGeneration] = React.useState(0);
  const latest = React.useRef(0);
  const loadRef = React.useRef(load);
  loadRef.current = load;

  React.useEffect(() => {
    const request = ++latest.current;
    setState((previous) => ({ ...previous, isLoading: true }));
    loadRef.current().then(
      (data) => {
        if (request === latest.current) setState({ data, error: undefined, isLoading: false });
      },
      (error: unknown) => {
        if (request === latest.current)
          setState((previous) => ({ data: previous.data, error, isLoading: false }));
      }
    );
  }, [key, generation]);

  const reload = React.useCallback(() => setGeneration((value) => value + 1), []);
  return { data: state.data, error: state.error, isLoading: state.isLoading, reload };
};

import { useCallback, useState } from 'react';

export const PAUSED_STORAGE_KEY = 'hero-animation-paused';

function readPaused(): boolean {
  try {
    return window.localStorage.getItem(PAUSED_STORAGE_KEY) === 'true';
  } catch {
    return false; // Storage can throw (privacy modes, disabled cookies): just don't remember.
  }
}

/** The visitor's pause choice for the hero animation, remembered across reloads. */
export function usePausedPreference(): [boolean, (paused: boolean) => void] {
  const [paused, setPausedState] = useState(readPaused);
  const setPaused = useCallback((value: boolean) => {
    setPausedState(value);
    try {
      window.localStorage.setItem(PAUSED_STORAGE_KEY, String(value));
    } catch {
      // Not remembered, but the control still works for this visit.
    }
  }, []);
  return [paused, setPaused];
}

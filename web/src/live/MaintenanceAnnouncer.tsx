import { useEffect, useRef, useState } from 'react';

export const MAINTENANCE_ON = 'The site is now down for maintenance.';
export const MAINTENANCE_OFF = 'Maintenance is over: the site is available again.';

/**
 * A polite live region that says when maintenance mode starts or ends while the page is open. It
 * is on the page from the first render (empty), because screen readers only announce changes to
 * a live region they already know; the state found on load is not announced (the notice shows it).
 */
export function MaintenanceAnnouncer({ maintenanceMode }: { maintenanceMode: boolean | null }) {
  const previous = useRef<boolean | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (maintenanceMode === null) return;
    if (previous.current !== null && previous.current !== maintenanceMode) {
      setMessage(maintenanceMode ? MAINTENANCE_ON : MAINTENANCE_OFF);
    }
    previous.current = maintenanceMode;
  }, [maintenanceMode]);

  return (
    <div
      className="visually-hidden"
      aria-live="polite"
      aria-atomic="true"
      data-testid="live-announcer"
    >
      {message}
    </div>
  );
}

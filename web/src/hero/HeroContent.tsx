import type { PlatformSettings } from '../settings/types';

/** Grey bars shaped like the text they stand for, so nothing moves when the text arrives. */
function Placeholder({ width }: { width: string }) {
  return <span className="skeleton" style={{ width }} aria-hidden="true" />;
}

export function HeroContent({ settings }: { settings: PlatformSettings | null }) {
  if (settings === null) {
    return (
      <>
        <p className="hero__eyebrow">
          <Placeholder width="12rem" />
        </p>
        <h1 id="hero-title" className="hero__title">
          <Placeholder width="95%" />
          <Placeholder width="60%" />
          <span className="visually-hidden">Loading…</span>
        </h1>
        <p className="hero__subtitle">
          <Placeholder width="90%" />
        </p>
        <div className="hero__actions">
          <span className="skeleton skeleton--button" aria-hidden="true" />
        </div>
      </>
    );
  }

  return (
    <>
      <p className="hero__eyebrow">{settings.tagline}</p>
      <h1 id="hero-title" className="hero__title">
        {settings.heroTitle}
      </h1>
      <p className="hero__subtitle">{settings.heroSubtitle}</p>
      <div className="hero__actions">
        {settings.maintenanceMode ? (
          <p className="notice" role="status">
            <svg aria-hidden="true" viewBox="0 0 20 20" width="20" height="20" focusable="false">
              <path
                d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm-.9 4h1.8v5.2H9.1zM10 12.6a1.1 1.1 0 1 1 0 2.2 1.1 1.1 0 0 1 0-2.2z"
                fill="currentColor"
              />
            </svg>
            <span>
              <strong>Down for maintenance.</strong> We are making improvements and will be back
              shortly.
            </span>
          </p>
        ) : (
          <a className="cta" href={settings.ctaUrl}>
            {settings.ctaLabel}
            <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18" focusable="false">
              <path
                d="M4 10h11m-4.5-5 5 5-5 5"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
          </a>
        )}
      </div>
    </>
  );
}

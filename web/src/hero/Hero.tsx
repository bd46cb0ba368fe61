import type { PlatformSettings } from '../settings/types';
import { HeroBackground } from './HeroBackground';
import { HeroContent } from './HeroContent';
import { useHeroMode } from './heroMode';
import { MotionToggle } from './MotionToggle';
import { usePausedPreference } from './usePausedPreference';

interface Props {
  /** null while the settings are loading. */
  settings: PlatformSettings | null;
  allowSoftwareWebGL: boolean;
}

export function Hero({ settings, allowSoftwareWebGL }: Props) {
  const { mode, fail } = useHeroMode(settings, allowSoftwareWebGL);
  const [paused, setPaused] = usePausedPreference();
  const animated = mode.kind === '3d' && settings !== null && settings.hero3dSpeed > 0;

  return (
    <div className="hero">
      <HeroBackground
        mode={mode}
        settings={settings}
        paused={paused}
        allowSoftwareWebGL={allowSoftwareWebGL}
        onFailure={fail}
      />
      <header className="site-header">
        <div className="brand">
          <svg className="brand__mark" aria-hidden="true" viewBox="0 0 32 32" focusable="false">
            <rect width="32" height="32" rx="9" />
            <path d="M9 22l7-13 7 13" />
          </svg>
          <span className="brand__name">
            {settings ? settings.siteName : <span className="skeleton" style={{ width: '8rem' }} />}
          </span>
        </div>
      </header>
      <main className="hero__main" id="main">
        <section className="hero__panel" aria-labelledby="hero-title" aria-busy={settings === null}>
          <HeroContent settings={settings} />
        </section>
      </main>
      {animated && <MotionToggle paused={paused} onChange={setPaused} />}
    </div>
  );
}

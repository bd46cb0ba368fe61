import { FEATURE_ICON_PATHS, type FeatureIconName } from './featureIcons';
import type { HomePage } from './types';

function FeatureIcon({ name }: { name: FeatureIconName }) {
  return (
    <svg
      className="home-feature__icon"
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 24 24"
      width="28"
      height="28"
    >
      <path
        d={FEATURE_ICON_PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

interface Props {
  /** null (loading, failed, or a preview): nothing at all. */
  homePage: HomePage | null;
  /** In maintenance the hero's CTA gives way to a notice; the closing one goes too. */
  maintenanceMode: boolean;
}

/**
 * The sections below the hero: the features, then the closing call to action. Each renders only
 * when the CMS sent it. Under the hero's `h1`, each feature title and the closing heading are
 * `h2`s; the features are a list; each section is a named region.
 */
export function HomeSections({ homePage, maintenanceMode }: Props) {
  if (!homePage) return null;
  const { features, closingCta } = homePage;
  const showCta = closingCta !== null && !maintenanceMode;
  if (features.length === 0 && !showCta) return null;
  return (
    <div className="home">
      {features.length > 0 && (
        <section className="home-features" aria-label="Features">
          <ul className="home-features__list">
            {features.map((feature, i) => (
              <li className="home-feature" key={i} data-icon={feature.icon ?? undefined}>
                {feature.icon && <FeatureIcon name={feature.icon} />}
                <h2 className="home-feature__title">{feature.title}</h2>
                {feature.text && <p className="home-feature__text">{feature.text}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {showCta && (
        <section className="home-closing" aria-labelledby="home-closing-title">
          <h2 id="home-closing-title" className="home-closing__title">
            {closingCta.heading}
          </h2>
          <a className="cta" href={closingCta.url}>
            {closingCta.label}
          </a>
        </section>
      )}
    </div>
  );
}

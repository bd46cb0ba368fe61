import type { FeatureIconName } from './featureIcons';

/** The sections below the hero, as the site renders them (the CMS's `api::home-page`). */
export interface HomePage {
  /** Into document.title and the meta description; null: the settings' site name stays. */
  seo: HomeSeo | null;
  /** In the CMS's order; empty: no features section. */
  features: HomeFeature[];
  /** null: no closing section. */
  closingCta: HomeCallToAction | null;
}

export interface HomeSeo {
  title: string;
  description: string | null;
}

export interface HomeFeature {
  title: string;
  text: string | null;
  /** null: none given, or a name the site does not know. */
  icon: FeatureIconName | null;
}

export interface HomeCallToAction {
  heading: string;
  label: string;
  /** `http(s)://…` or a site path starting with `/`. */
  url: string;
}

/** Where the page stands with the home page: loading, or loaded (null: nothing to show). */
export type HomePageState = { status: 'loading' } | { status: 'ready'; homePage: HomePage | null };

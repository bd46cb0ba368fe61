import { isSafeCtaUrl, readSettingsVersion } from '../settings/parseSettings';
import { isFeatureIconName } from './featureIcons';
import type { HomeCallToAction, HomeFeature, HomePage, HomeSeo } from './types';

/** The schema's `max` for `features`: more than this is never shown. */
export const MAX_FEATURES = 6;

export interface ParsedHomePage {
  homePage: HomePage;
  /** `data.version` (the versioning plugin adds it), or null when the body has none. */
  version: number | null;
  /** What was present but unusable and left out (`features[2].icon`), for one warning. */
  ignored: string[];
}

type Data = Record<string, unknown>;

const isObject = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;
const textOrNull = (value: unknown): string | null => (isText(value) ? value : null);

function parseSeo(value: unknown, ignored: string[]): HomeSeo | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value) || !isText(value.title)) {
    ignored.push('seo');
    return null;
  }
  return { title: value.title, description: textOrNull(value.description) };
}

function parseFeatures(value: unknown, ignored: string[]): HomeFeature[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ignored.push('features');
    return [];
  }
  const features: HomeFeature[] = [];
  value.slice(0, MAX_FEATURES).forEach((item: unknown, i) => {
    if (!isObject(item) || !isText(item.title)) {
      ignored.push(`features[${i}]`);
      return;
    }
    const { icon } = item;
    const known = isFeatureIconName(icon);
    if (!known && icon !== undefined && icon !== null && icon !== '') {
      ignored.push(`features[${i}].icon`);
    }
    features.push({ title: item.title, text: textOrNull(item.text), icon: known ? icon : null });
  });
  return features;
}

function parseCallToAction(value: unknown, ignored: string[]): HomeCallToAction | null {
  if (value === undefined || value === null) return null;
  if (
    !isObject(value) ||
    !isText(value.heading) ||
    !isText(value.label) ||
    !isSafeCtaUrl(value.url)
  ) {
    ignored.push('closingCta');
    return null;
  }
  return { heading: value.heading, label: value.label, url: value.url };
}

/**
 * Turns an untrusted `GET /api/home-page` body into the sections the page can render. Never
 * throws. Each section stands alone: a missing component (Strapi's REST answer without populate
 * has none) renders nothing, and an invalid one is left out (and named in `ignored`) without
 * taking the others with it. A feature whose icon the site does not know keeps its text.
 * Null when the body is not a home page at all.
 */
export function parseHomePageBody(body: unknown): ParsedHomePage | null {
  if (!isObject(body) || !isObject(body.data)) return null;
  const { data } = body;
  const ignored: string[] = [];
  const homePage: HomePage = {
    seo: parseSeo(data.seo, ignored),
    features: parseFeatures(data.features, ignored),
    closingCta: parseCallToAction(data.closingCta, ignored),
  };
  return { homePage, version: readSettingsVersion(body), ignored };
}

/**
 * The same for a live body: an event's data (JSON text) or a poll's parsed body. Unparsable
 * JSON or a body that is not a home page gives null with one warning.
 */
export function parseHomePageLiveBody(body: unknown): ParsedHomePage | null {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      console.warn('[live] Ignoring a home-page event that is not JSON.');
      return null;
    }
  }
  const parsed = parseHomePageBody(value);
  if (!parsed) console.warn('[live] Ignoring a home-page event without home-page data.');
  else warnIgnored(parsed, '[live]');
  return parsed;
}

/** One warning naming what was left out, if anything was. */
export function warnIgnored(parsed: ParsedHomePage, prefix: string): void {
  if (parsed.ignored.length === 0) return;
  console.warn(`${prefix} Home page: leaving out invalid ${parsed.ignored.join(', ')}.`);
}

/**
 * The icons a feature may name (the CMS stores the name: `icon`, at most 40 characters). A name
 * not in this set shows no icon. Each is a 24×24 stroked outline, drawn in the accent colour.
 * Keep the list in the CMS's help text (src/components/home/feature.json) in step.
 */
export const FEATURE_ICON_PATHS = {
  // A clock with an arrow going back: every change is kept.
  history: 'M3 12a9 9 0 1 0 2.6-6.4L3 8M3 3v5h5M12 7v5l3 2',
  // An arrow turning back: roll back.
  rollback: 'M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  shield: 'M12 3l8 3v6c0 4.8-3.4 8.4-8 9-4.6-.6-8-4.2-8-9V6zM9 12l2 2 4-4',
  bolt: 'M13 2 4 14h7l-1 8 9-12h-7z',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v4M16 3v4',
} as const;

export type FeatureIconName = keyof typeof FEATURE_ICON_PATHS;

export const isFeatureIconName = (name: unknown): name is FeatureIconName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(FEATURE_ICON_PATHS, name);

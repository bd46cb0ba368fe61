/** Reads Prometheus text exposition, enough to check the values our server exports. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export const parseSamples = (text: string): Sample[] =>
  text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = SAMPLE_LINE.exec(line);
      if (!match) throw new Error(`Not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value;
      return { name: match[1], labels, value: Number(match[3]) };
    });

/** Metric family name → type, from the `# TYPE` lines. */
export const families = (text: string): Map<string, string> =>
  new Map(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name, type] as const)
  );

/** Every series name a query may use: histograms and summaries add suffixed series. */
export const seriesNames = (text: string): Set<string> => {
  const names = new Set<string>();
  for (const [name, type] of families(text)) {
    names.add(name);
    if (type === 'histogram') ['_bucket', '_sum', '_count'].forEach((s) => names.add(name + s));
    if (type === 'summary') ['_sum', '_count'].forEach((s) => names.add(name + s));
  }
  return names;
};

/** The value of one series (0 when absent), matching the given labels and ignoring others. */
export const valueOf = (text: string, name: string, labels: Record<string, string> = {}) =>
  parseSamples(text)
    .filter((s) => s.name === name)
    .filter((s) => Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);

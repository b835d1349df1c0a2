import { getMetricsFromIterator } from 'prom2javascript';
import type { PromMetric, PromMetrics } from 'prom2javascript';

/** A scrape of a metrics listener, read by a Prometheus text-format parser. */
export interface Scrape {
  readonly metrics: PromMetrics;
  family(name: string): PromMetric | undefined;
  /** Every series of a family, `{label="value",…}` (labels sorted) → its value, or its count for a histogram. */
  series(name: string): Record<string, number>;
}

const key = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

/** GETs `url` (expecting 200) and parses the Prometheus text format. */
export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text}`);
  return parseScrape(text);
}

/** Parses a text in the Prometheus text format. */
export async function parseScrape(text: string): Promise<Scrape> {
  const metrics = await getMetricsFromIterator(text.split('\n')[Symbol.iterator]());
  const family = (name: string): PromMetric | undefined => metrics[name];
  return {
    metrics,
    family,
    series(name) {
      const found = family(name);
      if (!found) throw new Error(`no metric ${name}; there are: ${Object.keys(metrics).join(', ')}`);
      return Object.fromEntries(found.data.map((d) => [key(d.labels), 'value' in d ? d.value : (d.count ?? NaN)]));
    },
  };
}

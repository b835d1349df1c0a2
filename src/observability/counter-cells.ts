import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/** One series of a counter: the hot path adds to `pending`, a plain number; a scrape hands it to prom-client. */
export interface CounterCell {
  pending: number;
}

export interface CellCounter {
  /** The cell of one set of label values, made on first use and kept. */
  cell(...values: string[]): CounterCell;
}

/**
 * A prom-client counter whose increments cost one addition: a request does `cell.pending++`
 * on a cell it looked up once, and the counter's `collect` (run on every scrape) adds what
 * piled up since the last one. Label values must come from a bounded set.
 */
export function cellCounter(registry: Registry, name: string, help: string, labelNames: readonly string[] = []): CellCounter {
  const cells: { labels: Record<string, string>; cell: CounterCell }[] = [];
  const counter: Counter<string> = new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const { labels, cell } of cells) {
        counter.inc(labels, cell.pending);
        cell.pending = 0;
      }
    },
  });
  const known = new Map<string, CounterCell>();
  return {
    cell(...values) {
      const key = values.join('\u0000');
      let cell = known.get(key);
      if (!cell) {
        cell = { pending: 0 };
        known.set(key, cell);
        cells.push({ labels: Object.fromEntries(labelNames.map((label, i) => [label, values[i] ?? ''])), cell });
      }
      return cell;
    },
  };
}

/** Values made once per pair of keys and kept, found without building a key string. */
export function memo2<A, B, V>(make: (a: A, b: B) => V): (a: A, b: B) => V {
  const outer = new Map<A, Map<B, V>>();
  return (a, b) => {
    let inner = outer.get(a);
    if (!inner) {
      inner = new Map();
      outer.set(a, inner);
    }
    let value = inner.get(b);
    if (value === undefined) {
      value = make(a, b);
      inner.set(b, value);
    }
    return value;
  };
}

/** Keeps the values of a label to a bounded set: the first `limit` seen, then `other`. */
export function boundedLabel(limit: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= limit) return 'other';
    seen.add(value);
    return value;
  };
}

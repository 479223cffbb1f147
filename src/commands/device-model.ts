import type { VariableCharacteristics } from './device-model.tables';

/** Which attribute of which variable of which component of a station: the device model's key. */
export interface VariableKey {
  componentName: string;
  componentInstance: string | null;
  evseId: number | null;
  connectorId: number | null;
  variableName: string;
  variableInstance: string | null;
  /** Actual, Target, MinSet or MaxSet. */
  attributeType: string;
}

/** One attribute as a station reported it. */
export interface ReportedVariable extends VariableKey {
  value: string | null;
  mutability: 'ReadOnly' | 'WriteOnly' | 'ReadWrite' | null;
  persistent: boolean | null;
  constant: boolean | null;
  characteristics: VariableCharacteristics | null;
}

/** The outcome of setting one attribute; `value` is what was asked for. */
export interface VariableSetResult extends VariableKey {
  value: string;
  status: string;
}

export const keyOf = (v: VariableKey): string =>
  JSON.stringify([
    v.componentName,
    v.componentInstance,
    v.evseId,
    v.connectorId,
    v.variableName,
    v.variableInstance,
    v.attributeType,
  ]);

/**
 * One item per key, the last one given winning (a station that repeats an attribute, or a part,
 * means its latest word), in key order: one upsert statement may touch a row only once, and
 * concurrent writers that lock rows in the same order cannot deadlock each other.
 */
export function lastPerKey<T extends VariableKey>(items: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(keyOf(item), item);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

/** `items` in runs of at most `size`. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

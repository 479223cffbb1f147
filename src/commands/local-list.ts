import type { LocalListEntry } from './commands.tables';

/** An OCPP 1.6 AuthorizationData: no idTagInfo means "remove this idTag" in a differential update. */
export interface AuthorizationData {
  idTag: string;
  idTagInfo?: { status: LocalListEntry['status']; expiryDate?: string; parentIdTag?: string };
}

export interface TagFacts {
  idTag: string;
  status: LocalListEntry['status'];
  expiryDate?: Date;
  parentIdTag?: string;
}

/** The list as stored: idTag → what the charger is told about it. */
export function toEntries(tags: TagFacts[]): Record<string, LocalListEntry> {
  const entries: Record<string, LocalListEntry> = {};
  for (const t of tags) {
    entries[t.idTag] = {
      status: t.status,
      ...(t.expiryDate && { expiryDate: t.expiryDate.toISOString() }),
      ...(t.parentIdTag && { parentIdTag: t.parentIdTag }),
    };
  }
  return entries;
}

const sameEntry = (a: LocalListEntry, b: LocalListEntry) =>
  a.status === b.status && a.expiryDate === b.expiryDate && a.parentIdTag === b.parentIdTag;

/** Every entry of a full update, sorted by idTag. */
export function fullUpdate(current: Record<string, LocalListEntry>): AuthorizationData[] {
  return Object.keys(current)
    .sort()
    .map((idTag) => ({ idTag, idTagInfo: current[idTag] }));
}

/** What changed since the list the charger holds: new and changed entries, and removals. */
export function differentialUpdate(
  previous: Record<string, LocalListEntry>,
  current: Record<string, LocalListEntry>,
): AuthorizationData[] {
  const changed = fullUpdate(current).filter(
    ({ idTag, idTagInfo }) => !previous[idTag] || !sameEntry(previous[idTag], idTagInfo!),
  );
  const removed = Object.keys(previous)
    .filter((idTag) => !current[idTag])
    .sort()
    .map((idTag) => ({ idTag }));
  return [...changed, ...removed];
}

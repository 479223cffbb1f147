import type { LocalListEntry } from './commands.tables';

/** An OCPP 1.6 AuthorizationData: no idTagInfo means "remove this idTag" in a differential update. */
export interface AuthorizationData {
  idTag: string;
  idTagInfo?: { status: LocalListEntry['status']; expiryDate?: string; parentIdTag?: string };
}

export interface TagFacts {
  idTag: string;
  kind?: 'app' | 'rfid';
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
      ...(t.kind && { kind: t.kind }),
      ...(t.expiryDate && { expiryDate: t.expiryDate.toISOString() }),
      ...(t.parentIdTag && { parentIdTag: t.parentIdTag }),
    };
  }
  return entries;
}

const sameEntry = (a: LocalListEntry, b: LocalListEntry) =>
  a.status === b.status && a.expiryDate === b.expiryDate && a.parentIdTag === b.parentIdTag;

/** What a 1.6 charger is told of an entry (its kind is for 2.0.1's IdToken type only). */
const idTagInfoOf = ({
  status,
  expiryDate,
  parentIdTag,
}: LocalListEntry): AuthorizationData['idTagInfo'] => ({
  status,
  ...(expiryDate !== undefined && { expiryDate }),
  ...(parentIdTag !== undefined && { parentIdTag }),
});

/** Every entry of a full update, sorted by idTag. */
export function fullUpdate(current: Record<string, LocalListEntry>): AuthorizationData[] {
  return Object.keys(current)
    .sort()
    .map((idTag) => ({ idTag, idTagInfo: idTagInfoOf(current[idTag]) }));
}

/** What changed since the list the charger holds: new and changed entries, and removals. */
export function differentialUpdate(
  previous: Record<string, LocalListEntry>,
  current: Record<string, LocalListEntry>,
): AuthorizationData[] {
  const changed = fullUpdate(current).filter(
    ({ idTag }) => !previous[idTag] || !sameEntry(previous[idTag], current[idTag]),
  );
  const removed = Object.keys(previous)
    .filter((idTag) => !current[idTag])
    .sort()
    .map((idTag) => ({ idTag }));
  return [...changed, ...removed];
}

/** The OCPP 2.0.1 IdToken type of an idTag: an RFID card is read as ISO14443 (MIFARE and the like); an app idTag, which the CSMS issues, is Central. */
export const idTokenType = (kind: LocalListEntry['kind']) => (kind === 'rfid' ? 'ISO14443' : 'Central');

/**
 * A 1.6 list as OCPP 2.0.1 AuthorizationData: the idTag becomes an IdToken typed by its kind
 * (looked up in `entries`: the current list, then the previous one for a removed idTag; Central
 * when unknown), expiryDate the cacheExpiryDateTime, the parent a Central groupIdToken.
 */
export function toAuthorizationData201(
  list: AuthorizationData[],
  ...entries: Record<string, LocalListEntry>[]
) {
  const kindOf = (idTag: string) => entries.find((e) => e[idTag] !== undefined)?.[idTag].kind;
  return list.map(({ idTag, idTagInfo }) => ({
    idToken: { idToken: idTag, type: idTokenType(kindOf(idTag)) },
    ...(idTagInfo && {
      idTokenInfo: {
        status: idTagInfo.status,
        ...(idTagInfo.expiryDate !== undefined && { cacheExpiryDateTime: idTagInfo.expiryDate }),
        ...(idTagInfo.parentIdTag !== undefined && {
          groupIdToken: { idToken: idTagInfo.parentIdTag, type: 'Central' },
        }),
      },
    }),
  }));
}

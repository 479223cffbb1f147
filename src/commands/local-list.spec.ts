import { differentialUpdate, fullUpdate, toEntries } from './local-list';

describe('local authorization list', () => {
  const expiry = new Date('2027-01-01T00:00:00Z');
  const current = toEntries([
    { idTag: 'B', status: 'Accepted' },
    { idTag: 'A', status: 'Blocked', parentIdTag: 'P' },
    { idTag: 'C', status: 'Accepted', expiryDate: expiry },
  ]);

  it('sends every idTag with its info in a full update, sorted', () => {
    expect(fullUpdate(current)).toEqual([
      { idTag: 'A', idTagInfo: { status: 'Blocked', parentIdTag: 'P' } },
      { idTag: 'B', idTagInfo: { status: 'Accepted' } },
      { idTag: 'C', idTagInfo: { status: 'Accepted', expiryDate: '2027-01-01T00:00:00.000Z' } },
    ]);
  });

  it.each([
    ['nothing changed', current, []],
    ['a new idTag', { A: current.A, C: current.C }, [{ idTag: 'B', idTagInfo: { status: 'Accepted' } }]],
    [
      'a changed status',
      { ...current, B: { status: 'Blocked' as const } },
      [{ idTag: 'B', idTagInfo: { status: 'Accepted' } }],
    ],
    ['a removed idTag', { ...current, Z: { status: 'Accepted' as const } }, [{ idTag: 'Z' }]],
  ])('a differential update carries only the difference: %s', (_case, previous, expected) => {
    expect(differentialUpdate(previous, current)).toEqual(expected);
  });
});

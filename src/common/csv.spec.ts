import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { toCsv } from './csv';

describe('toCsv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tindent', "'\tindent"],
    [-5, '-5'],
    [0, '0'],
    [null, ''],
    [undefined, ''],
    [new Date('2026-12-03T10:00:00.000Z'), '2026-12-03T10:00:00.000Z'],
  ])('writes the cell %j as %j', (value, expected) => {
    expect(toCsv([[value]])).toBe(`${expected}\r\n`);
  });

  it('writes rows with CRLF line ends', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, 'x,y'],
      ]),
    ).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it('reads back, through a CSV parser, every text that does not start a formula', () => {
    const safeText = fc.string({ unit: 'binary' }).filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(safeText, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const width = rows[0].length;
          const table = rows.map((r) => [...r, ...Array(width).fill('')].slice(0, width));
          expect(parse(toCsv(table), { relax_column_count: false })).toEqual(table);
        },
      ),
    );
  });
});

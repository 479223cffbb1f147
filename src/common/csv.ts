import { stringify } from 'csv-stringify/sync';

/**
 * RFC 4180 CSV through csv-stringify: CRLF line ends, a cell quoted when it holds a comma, a quote
 * or a line break, dates in ISO 8601, empty cells for null. A text cell that begins with
 * = + - @ tab or CR gets a leading apostrophe, so a spreadsheet shows it instead of running it as
 * a formula (CSV injection); numbers keep their sign.
 */
export function toCsv(rows: ReadonlyArray<readonly unknown[]>): string {
  return stringify(rows as unknown[][], {
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: {
      string: (text) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text),
      date: (date) => date.toISOString(),
    },
  });
}

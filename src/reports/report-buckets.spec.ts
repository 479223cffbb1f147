import { average, binLabels, bucketLabel, denseCounts, rangeProblems, ratio } from './report-buckets';

describe('report buckets', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', []],
    ['2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z', ['from must be before to']],
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ['from must be before to']],
    ['2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ['the range may cover at most 1100 days']],
    ['nope', '2026-01-01T00:00:00Z', ['from and to must be ISO dates']],
  ])('judges the range %s .. %s', (from, to, problems) => {
    expect(rangeProblems(new Date(from), new Date(to))).toEqual(problems);
  });

  it.each([
    ['day', '2026-03-29', '2026-03-29'],
    ['month', '2026-03-01', '2026-03'],
    ['week', '2026-03-23', '2026-W13'],
    ['week', '2025-12-29', '2026-W01'],
    ['week', '2027-01-04', '2027-W01'],
    ['week', '2026-12-28', '2026-W53'],
  ] as const)('labels a %s bucket starting %s as %s', (unit, date, label) => {
    expect(bucketLabel(unit, date)).toBe(label);
  });

  it('labels half-open bins with an open last bin', () => {
    expect(binLabels([15, 30, 60])).toEqual(['0-15', '15-30', '30-60', '60+']);
  });

  it('fills a dense histogram from sparse rows, ignoring out-of-range bins', () => {
    expect(
      denseCounts(4, [
        { bin: 1, count: 3 },
        { bin: 3, count: 1 },
        { bin: 9, count: 5 },
      ]),
    ).toEqual([0, 3, 0, 1]);
    expect(denseCounts(3, [{ bin: 1, count: 2 }], 1)).toEqual([2, 0, 0]);
  });

  it.each([
    [1, 4, 0.25],
    [1, 3, 0.3333],
    [5, 0, null],
  ])('ratio %d / %d = %p', (part, whole, expected) => {
    expect(ratio(part, whole)).toBe(expected);
  });

  it('averages to a whole unit, null without samples', () => {
    expect(average(10, 4)).toBe(3);
    expect(average(0, 0)).toBeNull();
  });
});

import { WritePacer } from './message-log.service';

describe('WritePacer', () => {
  let now = 0;
  const pacer = () => new WritePacer(1000, () => now);
  beforeEach(() => (now = 10_000));

  it('lets items go at once while the second has room, and counts them', () => {
    const p = pacer();
    expect([p.delayFor(400), p.delayFor(400), p.delayFor(200)]).toEqual([0, 0, 0]);
    now += 250;
    expect(p.delayFor(1)).toBe(750);
  });

  it('answers the time left in the second when a batch does not fit, and counts nothing for it', () => {
    const p = pacer();
    expect(p.delayFor(800)).toBe(0);
    now += 100;
    expect(p.delayFor(250)).toBe(900);
    expect(p.delayFor(200)).toBe(0);
    now += 900;
    expect(p.delayFor(1000)).toBe(0);
    expect(p.delayFor(1)).toBe(1000);
  });

  it('takes a batch larger than the rate into an empty second', () => {
    const p = pacer();
    expect(p.delayFor(5000)).toBe(0);
    now += 999;
    expect(p.delayFor(1)).toBe(1);
    now += 1;
    expect(p.delayFor(5000)).toBe(0);
  });
});

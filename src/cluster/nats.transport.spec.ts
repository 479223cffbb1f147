import { callSubject, subjectToken } from './nats.transport';

describe('NATS subjects of chargers', () => {
  it.each([
    ['CP001', 'CP001'],
    ['cp_01-a', 'cp_01-a'],
    ['CP.1', 'CP~2e1'],
    ['A*B>C', 'A~2aB~3eC'],
    ['x y', 'x~20y'],
    ['é', '~c3~a9'],
  ])('puts %s in one subject token as %s', (id, token) => {
    expect(subjectToken(id)).toBe(token);
    expect(callSubject('kilowatt', id)).toBe(`kilowatt.charger.${token}.call`);
  });

  it('never maps two ids to one token', () => {
    expect(subjectToken('CP~2e')).not.toBe(subjectToken('CP.'));
  });
});

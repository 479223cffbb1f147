import { DomainError } from '../../common/domain-error';
import { monitoringEvents, reportedDisplayMessages } from './display-monitoring';

const event = (over: object = {}) => ({
  eventId: 1,
  timestamp: '2026-12-03T10:00:00Z',
  trigger: 'Alerting',
  actualValue: '21500',
  eventNotificationType: 'CustomMonitor',
  component: { name: 'EVSE', evse: { id: 1 } },
  variable: { name: 'Power' },
  ...over,
});

describe('NotifyEvent items', () => {
  it('become one monitoring event each, a missing field null', () => {
    expect(monitoringEvents([event({ variableMonitoringId: 3, techCode: 'E1' })])).toEqual([
      {
        eventId: 1,
        timestamp: '2026-12-03T10:00:00Z',
        trigger: 'Alerting',
        actualValue: '21500',
        cause: null,
        techCode: 'E1',
        techInfo: null,
        cleared: null,
        transactionId: null,
        variableMonitoringId: 3,
        eventNotificationType: 'CustomMonitor',
        componentName: 'EVSE',
        componentInstance: null,
        evseId: 1,
        connectorId: null,
        variableName: 'Power',
        variableInstance: null,
      },
    ]);
  });

  it.each([
    ['a negative eventId', true, { eventId: -5 }],
    ['an eventId past 32 bits', false, { eventId: 2 ** 31 }],
    ['a cause past 32 bits', false, { cause: -(2 ** 31) - 1 }],
    ['a negative EVSE', false, { component: { name: 'EVSE', evse: { id: -1 } } }],
    [
      'a connector past 32 bits',
      false,
      { component: { name: 'EVSE', evse: { id: 1, connectorId: 2 ** 32 } } },
    ],
  ] as [string, boolean, object][])('%s is stored: %s', (_what, stored, over) => {
    const run = () => monitoringEvents([event(over)]);
    if (stored) expect(run()).toHaveLength(1);
    else expect(run).toThrow(DomainError);
  });
});

describe('NotifyDisplayMessages messageInfo', () => {
  it.each([
    ['a date a column holds', '2026-12-05T08:00:00Z', new Date('2026-12-05T08:00:00Z')],
    ['year 0', '0000-01-01T00:00:00Z', null],
    ['no date', undefined, null],
  ])('keeps %s as a start date or drops it', (_what, startDateTime, expected) => {
    const [m] = reportedDisplayMessages([
      { id: 1, priority: 'InFront', startDateTime, message: { format: 'UTF8', content: 'x' } },
    ]);
    expect(m.startDateTime).toEqual(expected);
  });
});

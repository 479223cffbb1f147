import { DomainError } from '../../common/domain-error';
import { reportedMonitors } from './monitoring-report';

const monitoring = (over: object = {}) => ({
  id: 7,
  transaction: false,
  value: 80,
  type: 'Delta',
  severity: 5,
  ...over,
});
const data = (variableMonitoring: object[], component: object = { name: 'EVSE', evse: { id: 1 } }) => ({
  component,
  variable: { name: 'Power' },
  variableMonitoring,
});

describe('NotifyMonitoringReport monitors', () => {
  it('become one monitor per variableMonitoring item, a missing instance or EVSE null', () => {
    expect(
      reportedMonitors([
        data([monitoring(), monitoring({ id: 8, type: 'Periodic', value: 60, transaction: true })]) as never,
        data([monitoring({ id: -3, severity: 0 })], { name: 'SecurityCtrlr', instance: 'Main' }) as never,
      ]),
    ).toEqual([
      {
        monitorId: 7,
        componentName: 'EVSE',
        componentInstance: null,
        evseId: 1,
        connectorId: null,
        variableName: 'Power',
        variableInstance: null,
        type: 'Delta',
        value: 80,
        severity: 5,
        transaction: false,
      },
      expect.objectContaining({ monitorId: 8, type: 'Periodic', value: 60, transaction: true }),
      expect.objectContaining({
        monitorId: -3,
        componentName: 'SecurityCtrlr',
        componentInstance: 'Main',
        evseId: null,
        severity: 0,
      }),
    ]);
  });

  it.each([
    [
      'an id past 32 bits',
      'monitor.0.variableMonitoring.1.id',
      [data([monitoring(), monitoring({ id: 2 ** 31 })])],
    ],
    ['a severity of 10', 'monitor.0.variableMonitoring.0.severity', [data([monitoring({ severity: 10 })])]],
    [
      'a negative severity',
      'monitor.0.variableMonitoring.0.severity',
      [data([monitoring({ severity: -1 })])],
    ],
    [
      'a negative EVSE',
      'monitor.1.component.evse.id',
      [data([monitoring()]), data([monitoring()], { name: 'EVSE', evse: { id: -1 } })],
    ],
    [
      'a connector past 32 bits',
      'monitor.0.component.evse.connectorId',
      [data([monitoring()], { name: 'EVSE', evse: { id: 1, connectorId: 2 ** 32 } })],
    ],
  ] as [string, string, object[]][])('refuses %s, naming %s', (_what, field, report) => {
    let error: unknown;
    try {
      reportedMonitors(report as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field }] } });
  });
});

import type { SimMonitor } from './display-monitoring';
import { type GetMonitoringReportRequest, selectMonitors } from './monitoring-report';

const monitor = (id: number, type: string, over: Partial<SimMonitor> = {}): SimMonitor => ({
  id,
  component: { name: 'EVSE', evse: { id: 1 } },
  variable: { name: 'Power' },
  type,
  value: 1,
  severity: 5,
  transaction: false,
  ...over,
});

const all = [
  monitor(4, 'Periodic'),
  monitor(1, 'UpperThreshold'),
  monitor(2, 'LowerThreshold', { variable: { name: 'Power', instance: 'Import' } }),
  monitor(3, 'Delta', { component: { name: 'Connector', evse: { id: 1, connectorId: 1 } } }),
  monitor(5, 'PeriodicClockAligned', { component: { name: 'EVSE', evse: { id: 2 } } }),
];

describe('the monitors a simulated GetMonitoringReport selects', () => {
  it.each([
    ['every one, by id, without filters', {}, [1, 2, 3, 4, 5]],
    ['thresholds', { monitoringCriteria: ['ThresholdMonitoring'] }, [1, 2]],
    ['deltas and periodics', { monitoringCriteria: ['DeltaMonitoring', 'PeriodicMonitoring'] }, [3, 4, 5]],
    ['a component on every EVSE', { componentVariable: [{ component: { name: 'EVSE' } }] }, [1, 2, 4, 5]],
    [
      'a component of one EVSE',
      { componentVariable: [{ component: { name: 'EVSE', evse: { id: 2 } } }] },
      [5],
    ],
    [
      'a variable instance',
      {
        componentVariable: [{ component: { name: 'EVSE' }, variable: { name: 'Power', instance: 'Import' } }],
      },
      [2],
    ],
    [
      'both filters at once',
      {
        monitoringCriteria: ['PeriodicMonitoring'],
        componentVariable: [{ component: { name: 'EVSE', evse: { id: 1 } } }],
      },
      [4],
    ],
    ['nothing of an unknown component', { componentVariable: [{ component: { name: 'Nope' } }] }, []],
  ] as [string, Omit<GetMonitoringReportRequest, 'requestId'>, number[]][])('%s', (_what, filters, ids) => {
    expect(selectMonitors(all, { requestId: 1, ...filters }).map((m) => m.id)).toEqual(ids);
  });
});

import type { Measurand, MeterValue, ReadingContext, SampledValue } from '../ocpp-types/ocpp16';

export interface MeterSettings {
  powerW: number;
  voltageV?: number;
  phases?: number;
  batteryCapacityWh?: number;
  initialSocPercent?: number;
}

export const DEFAULT_MEASURANDS: Measurand[] = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'SoC',
  'Voltage',
  'Current.Import',
];

const PHASES = ['L1', 'L2', 'L3'] as const;
const PHASES_TO_NEUTRAL = ['L1-N', 'L2-N', 'L3-N'] as const;

// One connector's energy meter: a cumulative import register that grows with the charging power
// while a session is charging, plus what an EV would report (state of charge).
export class ConnectorMeter {
  private energyWh: number;
  private chargingSince: number | null = null;
  private sessionStartWh = 0;
  private readonly voltageV: number;
  private readonly phases: number;
  private readonly batteryCapacityWh: number;
  private readonly initialSocPercent: number;

  constructor(
    private readonly settings: MeterSettings,
    private readonly now: () => number = Date.now,
    initialRegisterWh = 0,
  ) {
    this.energyWh = initialRegisterWh;
    this.voltageV = settings.voltageV ?? 230;
    this.phases = settings.phases ?? 3;
    this.batteryCapacityWh = settings.batteryCapacityWh ?? 60_000;
    this.initialSocPercent = settings.initialSocPercent ?? 20;
  }

  get charging(): boolean {
    return this.chargingSince !== null;
  }

  // Meters report whole watt-hours; the fraction keeps accumulating internally.
  get registerWh(): number {
    this.accumulate();
    return Math.floor(this.energyWh);
  }

  get powerW(): number {
    return this.charging ? this.settings.powerW : 0;
  }

  get currentPerPhaseA(): number {
    return this.powerW / (this.phases * this.voltageV);
  }

  get sessionEnergyWh(): number {
    return Math.max(0, this.registerWh - Math.floor(this.sessionStartWh));
  }

  get socPercent(): number {
    const soc = this.initialSocPercent + (this.sessionEnergyWh / this.batteryCapacityWh) * 100;
    return Math.min(100, Math.floor(soc));
  }

  startCharging(): void {
    this.accumulate();
    if (this.chargingSince === null) {
      this.sessionStartWh = this.energyWh;
      this.chargingSince = this.now();
    }
  }

  stopCharging(): void {
    this.accumulate();
    this.chargingSince = null;
  }

  // A value the caller reported (meterStart, meterStop, an explicit MeterValues) becomes the
  // register, so later readings continue from it instead of contradicting it.
  setRegister(energyWh: number): void {
    this.accumulate();
    this.energyWh = energyWh;
  }

  sample(
    context: ReadingContext,
    measurands: Measurand[] = DEFAULT_MEASURANDS,
    evConnected = this.charging,
  ): MeterValue {
    const values: SampledValue[] = [];
    const base = { context, location: 'Outlet' as const };
    for (const measurand of measurands) {
      switch (measurand) {
        case 'Energy.Active.Import.Register':
          values.push({ ...base, measurand, unit: 'Wh', value: String(this.registerWh) });
          break;
        case 'Power.Active.Import':
          values.push({ ...base, measurand, unit: 'W', value: String(Math.round(this.powerW)) });
          break;
        case 'SoC':
          if (evConnected)
            values.push({
              context,
              measurand,
              location: 'EV',
              unit: 'Percent',
              value: String(this.socPercent),
            });
          break;
        case 'Voltage':
          for (const phase of PHASES_TO_NEUTRAL.slice(0, this.phases)) {
            values.push({ ...base, measurand, phase, unit: 'V', value: this.voltageV.toFixed(1) });
          }
          break;
        case 'Current.Import':
          for (const phase of PHASES.slice(0, this.phases)) {
            values.push({ ...base, measurand, phase, unit: 'A', value: this.currentPerPhaseA.toFixed(1) });
          }
          break;
        default:
          // Measurands this meter has no sensor for are left out, as a real meter would.
          break;
      }
    }
    return { timestamp: new Date(this.now()).toISOString(), sampledValue: values };
  }

  private accumulate(): void {
    if (this.chargingSince === null) return;
    const at = this.now();
    this.energyWh += (this.settings.powerW * (at - this.chargingSince)) / 3_600_000;
    this.chargingSince = at;
  }
}

export function energyOnly(energyWh: number, context: ReadingContext, at: Date = new Date()): MeterValue {
  return {
    timestamp: at.toISOString(),
    sampledValue: [
      {
        context,
        measurand: 'Energy.Active.Import.Register',
        location: 'Outlet',
        unit: 'Wh',
        value: String(energyWh),
      },
    ],
  };
}

export function parseMeasurands(list: string | undefined): Measurand[] {
  if (list === undefined) return DEFAULT_MEASURANDS;
  return list
    .split(',')
    .map((m) => m.trim())
    .filter((m): m is Measurand => (KNOWN_MEASURANDS as readonly string[]).includes(m));
}

const KNOWN_MEASURANDS: readonly Measurand[] = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Voltage',
  'SoC',
  'Current.Offered',
  'Power.Offered',
  'Temperature',
  'Frequency',
];

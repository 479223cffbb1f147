import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import type { Page } from '../common/pagination';
import { type CommandTarget, CommandRunner, targetOf } from './command-runner.service';
import { require201 } from './ocpp201-target';
import type {
  MonitorsQueryDto,
  MonitoringEventsQueryDto,
  RefreshMonitorsDto,
  RefreshMonitorsResponse,
  SetMonitoringDataDto,
  SetMonitoringResultResponse,
  SetVariableMonitoringDto,
} from './dto/monitoring.dto';
import type { ComponentRefDto, VariableRefDto } from './dto/station-variables.dto';
import type { MonitorSetResult } from './monitoring';
import { MonitoringRecordsService } from './monitoring-records.service';
import type { StationMonitorRow, StationMonitoringEventRow } from './monitoring.tables';

/** A SetMonitoringResult as a 2.0.1 station sends it. */
interface SetMonitoringResult {
  id?: number;
  status: string;
  type: string;
  severity: number;
  component: ComponentRefDto;
  variable: VariableRefDto;
  statusInfo?: Record<string, unknown>;
}

/** Variable monitors of OCPP 2.0.1 stations, set and cleared by operators, and the events they raise. */
@Injectable()
export class MonitorsService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly records: MonitoringRecordsService,
  ) {}

  async list(actor: Actor, stationId: string, q: MonitorsQueryDto): Promise<Page<StationMonitorRow>> {
    const target = targetOf(await this.runner.target(actor, stationId));
    return this.records.list(target.tenantId, target.stationId, {
      component: q.component,
      variable: q.variable,
      limit: q.limit ?? 50,
      cursor: q.cursor,
    });
  }

  /**
   * SetVariableMonitoring; each result is stored in the order asked (the station answers one per
   * monitor, in order), with the id the station gave an accepted one.
   */
  async set(
    actor: Actor,
    stationId: string,
    dto: SetVariableMonitoringDto,
  ): Promise<SetMonitoringResultResponse[]> {
    const target = await this.target201(actor, stationId, 'SetVariableMonitoring');
    const reply = await this.runner.send<{ setMonitoringResult?: SetMonitoringResult[] }>(
      actor,
      target,
      'SetVariableMonitoring',
      { setMonitoringData: dto.setMonitoringData.map(toOcpp) },
      'ocpp2.0.1',
    );
    const results = reply.setMonitoringResult ?? [];
    const stored: MonitorSetResult[] = results.flatMap((r, i) => {
      // Results answer the monitors in order; one that names another monitor is matched by what it
      // names, and one that names none asked for keeps its place.
      const asked =
        [dto.setMonitoringData[i], ...dto.setMonitoringData].find(
          (d) => d !== undefined && keyOf(d) === keyOf(r),
        ) ?? dto.setMonitoringData[i];
      if (!asked) return [];
      return [
        {
          monitorId: r.status === 'Accepted' && r.id !== undefined ? r.id : null,
          componentName: r.component.name,
          componentInstance: r.component.instance ?? null,
          evseId: r.component.evse?.id ?? null,
          connectorId: r.component.evse?.connectorId ?? null,
          variableName: r.variable.name,
          variableInstance: r.variable.instance ?? null,
          type: r.type,
          value: asked.value,
          severity: r.severity,
          transaction: asked.transaction ?? false,
          status: r.status,
          statusInfo: r.statusInfo ?? null,
        },
      ];
    });
    await this.records.recordSetResults(target.tenantId, target.stationId, stored);
    return results.map((r) => ({
      ...(r.id !== undefined && { id: r.id }),
      status: r.status,
      type: r.type,
      severity: r.severity,
      component: r.component,
      variable: r.variable,
      ...(r.statusInfo !== undefined && { statusInfo: r.statusInfo }),
    }));
  }

  /**
   * GetMonitoringReport: each NotifyMonitoringReport part stores the monitors it lists; when no filter
   * was given, the last part also removes the stored monitors the station no longer has, and an
   * EmptyResultSet (no monitor at all) removes them at once.
   */
  async refresh(actor: Actor, stationId: string, dto: RefreshMonitorsDto): Promise<RefreshMonitorsResponse> {
    const target = await this.target201(actor, stationId, 'GetMonitoringReport');
    const requestId = randomInt(1, 2 ** 31 - 1);
    const everything = dto.monitoringCriteria === undefined && dto.componentVariable === undefined;
    if (everything) await this.records.startReportRefresh(target.tenantId, target.stationId, requestId);
    const reply = await this.runner.send<{ status: string; statusInfo?: Record<string, unknown> }>(
      actor,
      target,
      'GetMonitoringReport',
      {
        requestId,
        ...(dto.monitoringCriteria !== undefined && { monitoringCriteria: dto.monitoringCriteria }),
        ...(dto.componentVariable !== undefined && {
          componentVariable: dto.componentVariable.map((cv) => ({
            component: componentOf(cv.component),
            ...(cv.variable !== undefined && { variable: variableOf(cv.variable) }),
          })),
        }),
      },
      'ocpp2.0.1',
    );
    if (everything && reply.status === 'EmptyResultSet')
      await this.records.onNoneReported(target.tenantId, target.stationId, requestId);
    return {
      status: reply.status,
      requestId,
      ...(reply.statusInfo !== undefined && { statusInfo: reply.statusInfo }),
    };
  }

  /** ClearVariableMonitoring of a stored monitor; Accepted or NotFound (the station has none) removes it. */
  async clear(actor: Actor, stationId: string, monitorId: number): Promise<{ status: string }> {
    const target = await this.target201(actor, stationId, 'ClearVariableMonitoring');
    if (!(await this.records.find(target.tenantId, target.stationId, monitorId)))
      throw new DomainError('NOT_FOUND', `No monitor ${monitorId} is stored for this station`);
    const reply = await this.runner.send<{ clearMonitoringResult?: { id: number; status: string }[] }>(
      actor,
      target,
      'ClearVariableMonitoring',
      { id: [monitorId] },
      'ocpp2.0.1',
    );
    const status = reply.clearMonitoringResult?.find((r) => r.id === monitorId)?.status ?? 'Rejected';
    if (status === 'Accepted' || status === 'NotFound')
      await this.records.remove(target.tenantId, target.stationId, monitorId);
    return { status };
  }

  async events(
    actor: Actor,
    stationId: string,
    q: MonitoringEventsQueryDto,
  ): Promise<Page<StationMonitoringEventRow>> {
    const target = targetOf(await this.runner.target(actor, stationId));
    return this.records.listEvents(target.tenantId, target.stationId, {
      component: q.component,
      variable: q.variable,
      from: q.from === undefined ? undefined : new Date(q.from),
      to: q.to === undefined ? undefined : new Date(q.to),
      limit: q.limit ?? 50,
      cursor: q.cursor,
    });
  }

  private async target201(actor: Actor, stationId: string, action: string): Promise<CommandTarget> {
    return require201(targetOf(await this.runner.target(actor, stationId)), action);
  }
}

/** What a monitor is set on and how, to pair a result with the monitor asked for. */
function keyOf(m: {
  type: string;
  severity: number;
  component: ComponentRefDto;
  variable: VariableRefDto;
}): string {
  const { component: c, variable: v } = m;
  return JSON.stringify([
    c.name,
    c.instance ?? null,
    c.evse?.id ?? null,
    c.evse?.connectorId ?? null,
    v.name,
    v.instance ?? null,
    m.type,
    m.severity,
  ]);
}

/** The DTO as the 2.0.1 SetMonitoringDataType: only the fields given. */
function toOcpp(d: SetMonitoringDataDto): object {
  return {
    ...(d.id !== undefined && { id: d.id }),
    ...(d.transaction !== undefined && { transaction: d.transaction }),
    value: d.value,
    type: d.type,
    severity: d.severity,
    component: componentOf(d.component),
    variable: variableOf(d.variable),
  };
}

/** A 2.0.1 ComponentType: only the fields given. */
function componentOf(component: ComponentRefDto): object {
  return {
    name: component.name,
    ...(component.instance !== undefined && { instance: component.instance }),
    ...(component.evse !== undefined && {
      evse: {
        id: component.evse.id,
        ...(component.evse.connectorId !== undefined && { connectorId: component.evse.connectorId }),
      },
    }),
  };
}

/** A 2.0.1 VariableType: only the fields given. */
function variableOf(variable: VariableRefDto): object {
  return {
    name: variable.name,
    ...(variable.instance !== undefined && { instance: variable.instance }),
  };
}

import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import type { Page } from '../common/pagination';
import { CommandRunner, targetOf } from './command-runner.service';
import { type VariableKey, type VariableSetResult, keyOf } from './device-model';
import { DeviceModelService } from './device-model.service';
import type { StationVariableRow } from './device-model.tables';
import type {
  ComponentRefDto,
  SetVariableDto,
  SetVariableResultResponse,
  SetVariablesDto,
  StationVariablesQueryDto,
  VariableRefDto,
} from './dto/station-variables.dto';
import { refusalOf } from './ocpp201-commands';

/** A SetVariableResult as a 2.0.1 station sends it. */
interface SetVariableResult {
  attributeType?: string;
  attributeStatus: string;
  attributeStatusInfo?: Record<string, unknown>;
  component: ComponentRefDto;
  variable: VariableRefDto;
}

const keyOfRefs = (
  component: ComponentRefDto,
  variable: VariableRefDto,
  attributeType?: string,
): VariableKey => ({
  componentName: component.name,
  componentInstance: component.instance ?? null,
  evseId: component.evse?.id ?? null,
  connectorId: component.evse?.connectorId ?? null,
  variableName: variable.name,
  variableInstance: variable.instance ?? null,
  attributeType: attributeType ?? 'Actual',
});

/** An operator's view of a 2.0.1 station's variables, and SetVariables with its outcome kept. */
@Injectable()
export class StationVariablesService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly deviceModel: DeviceModelService,
  ) {}

  async list(
    actor: Actor,
    stationId: string,
    q: StationVariablesQueryDto,
  ): Promise<Page<StationVariableRow>> {
    const { station } = await this.runner.target(actor, stationId);
    return this.deviceModel.list(station.tenantId, station.id, {
      component: q.component,
      variable: q.variable,
      limit: q.limit ?? 50,
      cursor: q.cursor,
    });
  }

  /**
   * Sends SetVariables and stores what the station answered for each attribute it was asked to set
   * (an answer for an attribute not asked about is returned but not stored).
   */
  async set(actor: Actor, stationId: string, dto: SetVariablesDto): Promise<SetVariableResultResponse[]> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const request = { setVariableData: dto.setVariableData.map(toOcpp) };
    const refusal = refusalOf('SetVariables', request);
    if (refusal) throw new DomainError('BAD_REQUEST', refusal);
    const reply = await this.runner.send<{ setVariableResult?: SetVariableResult[] }>(
      actor,
      target,
      'SetVariables',
      request,
      'ocpp2.0.1',
    );
    const asked = new Map(
      dto.setVariableData.map((d) => [
        keyOf(keyOfRefs(d.component, d.variable, d.attributeType)),
        d.attributeValue,
      ]),
    );
    const results = reply.setVariableResult ?? [];
    const stored: VariableSetResult[] = results.flatMap((r) => {
      const key = keyOfRefs(r.component, r.variable, r.attributeType);
      const value = asked.get(keyOf(key));
      return value === undefined ? [] : [{ ...key, value, status: r.attributeStatus }];
    });
    await this.deviceModel.onSetResults(target.tenantId, target.stationId, stored);
    return results.map((r) => ({
      component: r.component,
      variable: r.variable,
      attributeType: r.attributeType ?? 'Actual',
      attributeStatus: r.attributeStatus,
      ...(r.attributeStatusInfo !== undefined && { attributeStatusInfo: r.attributeStatusInfo }),
    }));
  }
}

/** The DTO as the 2.0.1 SetVariableDataType: only the fields given. */
function toOcpp(d: SetVariableDto): object {
  const { component, variable } = d;
  return {
    ...(d.attributeType !== undefined && { attributeType: d.attributeType }),
    attributeValue: d.attributeValue,
    component: {
      name: component.name,
      ...(component.instance !== undefined && { instance: component.instance }),
      ...(component.evse !== undefined && {
        evse: {
          id: component.evse.id,
          ...(component.evse.connectorId !== undefined && { connectorId: component.evse.connectorId }),
        },
      }),
    },
    variable: {
      name: variable.name,
      ...(variable.instance !== undefined && { instance: variable.instance }),
    },
  };
}

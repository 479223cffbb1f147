import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError, FieldError } from '../common/domain-error';
import { chargingProfileErrors } from './charging-profile-rules';
import { CommandRunner, targetOf } from './command-runner.service';
import type { CommandStatusResponse } from './dto/command.response';
import type {
  ChargingProfileDto,
  ClearChargingProfileDto,
  CompositeScheduleResponse,
  GetCompositeScheduleDto,
  SetChargingProfileDto,
} from './dto/charging-profile.dto';

const iso = (s: string | undefined) => (s === undefined ? undefined : new Date(s).toISOString());

/** The profile as OCPP 1.6 spells it, with absent fields left out and times in UTC. */
function toOcppProfile(p: ChargingProfileDto): Record<string, unknown> {
  const s = p.chargingSchedule;
  return JSON.parse(
    JSON.stringify({
      chargingProfileId: p.chargingProfileId,
      transactionId: p.transactionId,
      stackLevel: p.stackLevel,
      chargingProfilePurpose: p.chargingProfilePurpose,
      chargingProfileKind: p.chargingProfileKind,
      recurrencyKind: p.recurrencyKind,
      validFrom: iso(p.validFrom),
      validTo: iso(p.validTo),
      chargingSchedule: {
        duration: s.duration,
        startSchedule: iso(s.startSchedule),
        chargingRateUnit: s.chargingRateUnit,
        chargingSchedulePeriod: s.chargingSchedulePeriod.map((q) => ({
          startPeriod: q.startPeriod,
          limit: q.limit,
          numberPhases: q.numberPhases,
        })),
        minChargingRate: s.minChargingRate,
      },
    }),
  ) as Record<string, unknown>;
}

/** A nested object class-validator lets pass when absent (it validates only those present). */
function missingProfilePart(dto: SetChargingProfileDto): FieldError {
  const field = dto.csChargingProfiles ? 'csChargingProfiles.chargingSchedule' : 'csChargingProfiles';
  return { field, errors: [`${field} is required`] };
}

/** Smart Charging: profiles validated before they are sent, cleared, and composite schedules. */
@Injectable()
export class SmartChargingService {
  constructor(private readonly runner: CommandRunner) {}

  async setChargingProfile(
    actor: Actor,
    stationId: string,
    dto: SetChargingProfileDto,
  ): Promise<CommandStatusResponse> {
    // The station first: another tenant's id is a 404 whatever the body holds.
    const target = targetOf(await this.runner.target(actor, stationId));
    const fields = dto.csChargingProfiles?.chargingSchedule
      ? chargingProfileErrors(dto.connectorId, dto.csChargingProfiles)
      : [missingProfilePart(dto)];
    if (fields.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        fields.map((f) => `${f.field}: ${f.errors.join(', ')}`).join('; '),
        {
          fields,
        },
      );
    }
    const reply = await this.runner.send<{ status: string }>(actor, target, 'SetChargingProfile', {
      connectorId: dto.connectorId,
      csChargingProfiles: toOcppProfile(dto.csChargingProfiles),
    });
    return { status: reply.status };
  }

  async clearChargingProfile(
    actor: Actor,
    stationId: string,
    dto: ClearChargingProfileDto,
  ): Promise<CommandStatusResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const reply = await this.runner.send<{ status: string }>(actor, target, 'ClearChargingProfile', {
      ...(dto.id !== undefined && { id: dto.id }),
      ...(dto.connectorId !== undefined && { connectorId: dto.connectorId }),
      ...(dto.chargingProfilePurpose !== undefined && { chargingProfilePurpose: dto.chargingProfilePurpose }),
      ...(dto.stackLevel !== undefined && { stackLevel: dto.stackLevel }),
    });
    return { status: reply.status };
  }

  async getCompositeSchedule(
    actor: Actor,
    stationId: string,
    dto: GetCompositeScheduleDto,
  ): Promise<CompositeScheduleResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    return this.runner.send<CompositeScheduleResponse>(actor, target, 'GetCompositeSchedule', {
      connectorId: dto.connectorId,
      duration: dto.duration,
      ...(dto.chargingRateUnit !== undefined && { chargingRateUnit: dto.chargingRateUnit }),
    });
  }
}

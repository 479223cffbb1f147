import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { StationReportParts } from '../ocpp/station-report-parts.service';
import type { Actor } from '../common/actor';
import { DomainError, FieldError } from '../common/domain-error';
import { chargingProfileErrors } from './charging-profile-rules';
import type { SetChargingProfile201Dto } from './dto/charging-profile-201.dto';
import { awaitReport } from './station-reports';
import { CommandRunner, protocolOf, targetOf } from './command-runner.service';
import type {
  ChargingCommandResponse,
  ChargingProfileDto,
  ChargingProfilesQueryDto,
  ChargingProfilesResponse,
  ClearChargingProfileDto,
  CompositeScheduleResponse,
  GetCompositeScheduleDto,
  SetChargingProfileDto,
} from './dto/charging-profile.dto';
import {
  type CompositeScheduleReply201,
  type StatusInfo201,
  chargingProfileErrors201,
  compositeScheduleOf201,
  nativeProfileErrors201,
  nativeSetChargingProfile,
  smartCharging201,
  transactionIdErrors16,
} from './ocpp201-smart-charging';

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

/** 400 VALIDATION_FAILED naming every field a profile rule refuses, before anything is sent. */
function refuseInvalid(fields: FieldError[]): void {
  if (fields.length > 0)
    throw new DomainError(
      'VALIDATION_FAILED',
      fields.map((f) => `${f.field}: ${f.errors.join(', ')}`).join('; '),
      { fields },
    );
}

interface ReportChargingProfilesPart {
  evseId: number;
  chargingLimitSource: string;
  chargingProfile: Record<string, unknown>[];
  tbc?: boolean;
}

type StatusReply = { status: string; statusInfo?: StatusInfo201 };

/** The charger's status, and a 2.0.1 station's statusInfo when it gives one. */
const statusOf = (reply: StatusReply): ChargingCommandResponse => ({
  status: reply.status,
  ...(reply.statusInfo !== undefined && { statusInfo: reply.statusInfo }),
});

/**
 * Smart Charging: profiles validated before they are sent, cleared, and composite schedules. One
 * body for both protocols (1.6's): a 2.0.1 station gets it translated (`ocpp201-smart-charging.ts`).
 */
@Injectable()
export class SmartChargingService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reports: StationReportParts,
    private readonly config: AppConfig,
  ) {}

  /**
   * GetChargingProfiles (OCPP 2.0.1 only) with a fresh requestId, then the profiles of the
   * ReportChargingProfiles parts the station sends, as stored by the node holding its connection.
   */
  async getChargingProfiles(
    actor: Actor,
    stationId: string,
    q: ChargingProfilesQueryDto,
  ): Promise<ChargingProfilesResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const requestId = randomInt(1, 2 ** 31 - 1);
    const reply = await this.runner.send<StatusReply>(
      actor,
      target,
      'GetChargingProfiles',
      {
        requestId,
        ...(q.evseId !== undefined && { evseId: q.evseId }),
        chargingProfile: {
          ...(q.purpose !== undefined && { chargingProfilePurpose: q.purpose }),
          ...(q.stackLevel !== undefined && { stackLevel: q.stackLevel }),
        },
      },
      'ocpp2.0.1',
    );
    if (reply.status !== 'Accepted') return { ...statusOf(reply), profiles: [] };
    const parts = await awaitReport(
      async () =>
        (await this.reports.find(
          target.tenantId,
          target.stationId,
          'ReportChargingProfiles',
          requestId,
        )) as ReportChargingProfilesPart[],
      {
        timeoutMs: this.config.ocpp.callTimeoutMs,
        what: `ReportChargingProfiles of ${target.chargePointId}`,
      },
    );
    return {
      ...statusOf(reply),
      profiles: parts.flatMap((part) =>
        part.chargingProfile.map((chargingProfile) => ({
          evseId: part.evseId,
          chargingLimitSource: part.chargingLimitSource,
          chargingProfile,
        })),
      ),
    };
  }

  async setChargingProfile(
    actor: Actor,
    stationId: string,
    dto: SetChargingProfileDto,
  ): Promise<ChargingCommandResponse> {
    // The station first: another tenant's id is a 404 whatever the body holds.
    const target = targetOf(await this.runner.target(actor, stationId));
    const v201 = protocolOf(target) === 'ocpp2.0.1';
    const fields = !dto.csChargingProfiles?.chargingSchedule
      ? [missingProfilePart(dto)]
      : v201
        ? chargingProfileErrors201(dto.connectorId, dto.csChargingProfiles)
        : [
            ...chargingProfileErrors(dto.connectorId, dto.csChargingProfiles),
            ...transactionIdErrors16(dto.csChargingProfiles),
          ];
    refuseInvalid(fields);
    const reply = v201
      ? await this.runner.send<StatusReply>(
          actor,
          target,
          'SetChargingProfile',
          smartCharging201.setChargingProfile(dto),
          'ocpp2.0.1',
        )
      : await this.runner.send<StatusReply>(actor, target, 'SetChargingProfile', {
          connectorId: dto.connectorId,
          csChargingProfiles: toOcppProfile(dto.csChargingProfiles),
        });
    return statusOf(reply);
  }

  /** SetChargingProfile in its OCPP 2.0.1 shape, for what 1.6 cannot say (several schedules, phaseToUse, a sales tariff). */
  async setChargingProfile201(
    actor: Actor,
    stationId: string,
    dto: SetChargingProfile201Dto,
  ): Promise<ChargingCommandResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    if (protocolOf(target) !== 'ocpp2.0.1')
      throw new DomainError(
        'UNSUPPORTED_BY_PROTOCOL',
        `${target.chargePointId} speaks ${protocolOf(target)}: send {connectorId, csChargingProfiles}, ` +
          'the {evseId, chargingProfile} body is for OCPP 2.0.1 stations',
      );
    refuseInvalid(nativeProfileErrors201(dto.evseId, dto.chargingProfile));
    return statusOf(
      await this.runner.send<StatusReply>(
        actor,
        target,
        'SetChargingProfile',
        nativeSetChargingProfile(dto),
        'ocpp2.0.1',
      ),
    );
  }

  async clearChargingProfile(
    actor: Actor,
    stationId: string,
    dto: ClearChargingProfileDto,
  ): Promise<ChargingCommandResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    if (protocolOf(target) === 'ocpp2.0.1')
      return statusOf(
        await this.runner.send<StatusReply>(
          actor,
          target,
          'ClearChargingProfile',
          smartCharging201.clearChargingProfile(dto),
          'ocpp2.0.1',
        ),
      );
    const reply = await this.runner.send<StatusReply>(actor, target, 'ClearChargingProfile', {
      ...(dto.id !== undefined && { id: dto.id }),
      ...(dto.connectorId !== undefined && { connectorId: dto.connectorId }),
      ...(dto.chargingProfilePurpose !== undefined && { chargingProfilePurpose: dto.chargingProfilePurpose }),
      ...(dto.stackLevel !== undefined && { stackLevel: dto.stackLevel }),
    });
    return statusOf(reply);
  }

  async getCompositeSchedule(
    actor: Actor,
    stationId: string,
    dto: GetCompositeScheduleDto,
  ): Promise<CompositeScheduleResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    if (protocolOf(target) === 'ocpp2.0.1')
      return compositeScheduleOf201(
        await this.runner.send<CompositeScheduleReply201>(
          actor,
          target,
          'GetCompositeSchedule',
          smartCharging201.getCompositeSchedule(dto),
          'ocpp2.0.1',
        ),
      );
    return this.runner.send<CompositeScheduleResponse>(actor, target, 'GetCompositeSchedule', {
      connectorId: dto.connectorId,
      duration: dto.duration,
      ...(dto.chargingRateUnit !== undefined && { chargingRateUnit: dto.chargingRateUnit }),
    });
  }
}

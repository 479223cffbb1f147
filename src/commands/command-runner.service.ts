import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { storableText, storableValue } from '../common/validation';
import { ChargerCommands } from '../ocpp/gateway/charger-commands';
import { StationsService } from '../stations/stations.service';
import type { StationView } from '../stations/stations.service';
import type { OcppVersion } from '../common/ocpp-versions';
import { CommandAuditRepository } from './command-audit.repository';

/** The station a command goes to, as the audit log records it. */
export interface CommandTarget {
  tenantId: string;
  stationId: string;
  chargePointId: string;
  /** The OCPP version of the station's current or last connection; null before the first. */
  ocppVersion: OcppVersion | null;
}

export const targetOf = ({ station }: StationView): CommandTarget => ({
  tenantId: station.tenantId,
  stationId: station.id,
  chargePointId: station.chargePointId,
  ocppVersion: station.ocppVersion,
});

/** The protocol a command is addressed in: a station that never connected is taken as 1.6. */
export const protocolOf = (target: CommandTarget): OcppVersion => target.ocppVersion ?? 'ocpp1.6';

/**
 * Sends one OCPP call to a charger, audited before it is sent; the entry then gets the reply, or
 * the error code when the charger is offline, silent or answers with a CALLERROR.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly chargers: ChargerCommands,
    private readonly audit: CommandAuditRepository,
    private readonly stations: StationsService,
  ) {}

  /** The station the actor may command; 404 for another tenant's. */
  async target(actor: Actor, stationId: string): Promise<StationView> {
    return this.stations.findByIdForActor(actor, stationId);
  }

  /**
   * `protocol` is the OCPP version `action` and `request` are written in: a station speaking the
   * other one answers 409 UNSUPPORTED_BY_PROTOCOL before anything is audited or sent.
   */
  async send<TReply extends object>(
    actor: Actor,
    target: CommandTarget,
    action: string,
    request: object,
    protocol: OcppVersion = 'ocpp1.6',
  ): Promise<TReply> {
    if (protocolOf(target) !== protocol)
      throw new DomainError(
        'UNSUPPORTED_BY_PROTOCOL',
        `${target.chargePointId} speaks ${protocolOf(target)}, which has no ${action} command of ${protocol}`,
      );
    const entry = {
      stationId: target.stationId,
      chargePointId: target.chargePointId,
      actorUserId: actor.userId ?? null,
      actorApiKeyId: actor.apiKeyId ?? null,
      actorRole: actor.role,
      action,
      request: request as Record<string, unknown>,
    };
    // Written before the call is sent, so a command that reached a charger is audited whatever
    // happens next (a crash, a reply no column can hold); the outcome is added when it comes.
    const { id } = await this.audit.insert(target.tenantId, { ...entry, reply: null, durationMs: null });
    const started = Date.now();
    try {
      // The gateway's OCPP_CALL_TIMEOUT_MS bounds the wait.
      const reply = await this.chargers.call<TReply>(target.chargePointId, action, request);
      await this.audit.recordOutcome(target.tenantId, id, {
        reply: storableValue(reply) as Record<string, unknown>,
        durationMs: Date.now() - started,
      });
      return reply;
    } catch (e) {
      const code = e instanceof DomainError ? e.code : 'INTERNAL_ERROR';
      await this.audit.recordOutcome(target.tenantId, id, {
        reply: null,
        errorCode: code,
        errorMessage: storableText(e instanceof Error ? e.message.slice(0, 500) : String(e)),
        durationMs: Date.now() - started,
      });
      throw e;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { CertificatesService } from '../../commands/certificates.service';
import { DeviceModelService } from '../../commands/device-model.service';
import { DisplayMessageRecordsService } from '../../commands/display-message-records.service';
import { MonitoringRecordsService } from '../../commands/monitoring-records.service';
import { MaintenanceStatusService } from '../../commands/maintenance-status.service';
import { ReservationStatusService } from '../../commands/reservation-status.service';
import { AppConfig } from '../../config/app-config';
import { EventBus } from '../../events/event-bus';
import { SessionsService } from '../../sessions/sessions.service';
import { ChargerStateService } from '../../stations/charger-state.service';
import { INT32_MAX } from '../../common/validation';
import { chargerTimeOr } from '../charger-time';
import type { AnyHandler, Handler } from '../gateway/handler';
import { RequestedBoots } from '../gateway/requested-boots';
import { ChargerNotificationsRepository } from '../charger-notifications.repository';
import { bootNotification } from './boot-notification.handler';
import { afterCommit, notificationHandlers } from './notifications';
import { connectorOfEvse, neutralStatus } from './connectors';
import { idTagOf, toIdTokenInfo } from './id-tokens';
import { requireStorableIds } from './ids';
import { signCertificate } from './sign-certificate.handler';
import type {
  AuthorizeRequest,
  IdTokenInfo,
  MeterValuesRequest,
  StatusNotificationRequest,
} from './messages';
import { toNeutralMeterValues } from './readings';
import { transactionEvent } from './transaction-event.handler';

/**
 * 2.0.1 FirmwareStatus in the words of the firmware rollouts (shared with 1.6). A verified signature
 * or an install scheduled for later leaves the firmware downloaded; rebooting to install is
 * installing. DownloadScheduled, DownloadPaused and Idle move nothing on (the station's own status
 * still shows them).
 */
const FIRMWARE_STATUS: Record<string, string> = {
  Downloading: 'Downloading',
  Downloaded: 'Downloaded',
  DownloadFailed: 'DownloadFailed',
  SignatureVerified: 'Downloaded',
  InstallScheduled: 'Downloaded',
  Installing: 'Installing',
  InstallRebooting: 'Installing',
  Installed: 'Installed',
  InstallationFailed: 'InstallationFailed',
  InstallVerificationFailed: 'InstallationFailed',
  InvalidSignature: 'InstallationFailed',
};

/**
 * 2.0.1 UploadLogStatus in the words of the diagnostics uploads (shared with 1.6). AcceptedCanceled
 * (an upload cancelled by a newer GetLog) and Idle move nothing on.
 */
const LOG_STATUS: Record<string, string> = {
  Uploading: 'Uploading',
  Uploaded: 'Uploaded',
  UploadFailure: 'UploadFailed',
  BadMessage: 'UploadFailed',
  NotSupportedOperation: 'UploadFailed',
  PermissionDenied: 'UploadFailed',
};

/**
 * The request a FirmwareStatusNotification or LogStatusNotification names: undefined when it names
 * none (Idle; the station's newest update or upload moves on), null when it is no id Kilowatt can
 * have sent (1 to 2^31-1: an update another CSMS started), which moves nothing of ours.
 */
const issuedRequestId = (id: number | undefined): number | undefined | null =>
  id === undefined ? undefined : Number.isInteger(id) && id >= 1 && id <= INT32_MAX ? id : null;

/**
 * Every OCPP 2.0.1 action this central system answers, built from the same domain services as
 * the 1.6 ones. An action missing here is answered NotImplemented by the gateway.
 */
@Injectable()
export class V201Handlers {
  constructor(
    private readonly config: AppConfig,
    private readonly chargerState: ChargerStateService,
    private readonly sessions: SessionsService,
    private readonly maintenance: MaintenanceStatusService,
    private readonly requestedBoots: RequestedBoots,
    private readonly notifications: ChargerNotificationsRepository,
    private readonly deviceModel: DeviceModelService,
    private readonly events: EventBus,
    private readonly reservations: ReservationStatusService,
    private readonly certificates: CertificatesService,
    private readonly displayMessages: DisplayMessageRecordsService,
    private readonly monitoring: MonitoringRecordsService,
  ) {}

  build(): Record<string, AnyHandler> {
    const { chargerState, sessions, maintenance } = this;
    const statusNotification: Handler<StatusNotificationRequest, object> = async ({
      tenantId,
      stationId,
      params,
    }) => {
      requireStorableIds({ evseId: params.evseId, connectorId: params.connectorId });
      await chargerState.recordStatus(tenantId, stationId, {
        connectorId: connectorOfEvse(params.evseId),
        ...neutralStatus(params.connectorStatus),
        statusAt: chargerTimeOr(params.timestamp, new Date()),
      });
      return {};
    };
    // An idToken is judged within the station's tenant; ConcurrentTx when it is already charging.
    const authorize: Handler<AuthorizeRequest, { idTokenInfo: IdTokenInfo }> = async (ctx) => ({
      idTokenInfo: toIdTokenInfo(await sessions.authorizeAt(ctx, idTagOf(ctx.params.idToken))),
    });
    const meterValues: Handler<MeterValuesRequest, object> = async ({ params, ...charger }) => {
      requireStorableIds({ evseId: params.evseId });
      // Readings outside a transaction (TransactionEvent carries a transaction's own) are kept
      // against the connector's live session, if any, as 1.6 MeterValues without transactionId are.
      await sessions.onMeterValues(charger, {
        connectorId: connectorOfEvse(params.evseId),
        meterValue: toNeutralMeterValues(params.meterValue),
      });
      return {};
    };
    return {
      ...notificationHandlers(
        this.notifications,
        afterCommit(this.events, this.reservations, this.displayMessages, this.monitoring),
        this.deviceModel,
        { records: this.monitoring, events: this.events },
      ),
      BootNotification: bootNotification(
        chargerState,
        this.config.ocpp.heartbeatIntervalSeconds,
        sessions,
        this.requestedBoots,
        this.deviceModel,
      ),
      Heartbeat: async () => ({ currentTime: new Date().toISOString() }),
      StatusNotification: statusNotification,
      Authorize: authorize,
      TransactionEvent: transactionEvent(sessions, chargerState),
      MeterValues: meterValues,
      SignCertificate: signCertificate(this.notifications, this.certificates),
      // No vendor extensions: every vendor is unknown; the frame stays in the message log.
      DataTransfer: async () => ({ status: 'UnknownVendorId' }),
      FirmwareStatusNotification: async ({
        tenantId,
        stationId,
        params,
      }: {
        tenantId: string;
        stationId: string;
        params: { status: string; requestId?: number };
      }) => {
        await chargerState.recordFirmwareStatus(stationId, params.status);
        const progress = FIRMWARE_STATUS[params.status];
        const requestId = issuedRequestId(params.requestId);
        if (progress && requestId !== null)
          await maintenance.onFirmwareStatus(tenantId, stationId, progress, requestId);
        return {};
      },
      LogStatusNotification: async ({
        tenantId,
        stationId,
        params,
      }: {
        tenantId: string;
        stationId: string;
        params: { status: string; requestId?: number };
      }) => {
        await chargerState.recordDiagnosticsStatus(stationId, params.status);
        const progress = LOG_STATUS[params.status];
        const requestId = issuedRequestId(params.requestId);
        if (progress && requestId !== null)
          await maintenance.onDiagnosticsStatus(tenantId, stationId, progress, requestId);
        return {};
      },
    };
  }
}

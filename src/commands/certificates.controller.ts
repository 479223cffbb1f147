import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ApiErrors } from '../common/api-errors';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { uuidParam } from '../common/uuid-param';
import { invalidField } from '../common/validation';
import { parseCertificate } from './certificate-authority';
import { CertificatesService } from './certificates.service';
import { CommandErrors } from './command-docs';
import { CommandRunner, targetOf } from './command-runner.service';
import {
  CertificateCommandResponse,
  DeleteCertificateDto,
  InstallCertificateDto,
  InstalledCertificatesQueryDto,
  InstalledCertificatesResponse,
  IssuedCertificateList,
  IssuedCertificateResponse,
} from './dto/certificates.dto';

const id = uuidParam('id');
const certificateId = uuidParam('certificateId');
const STATION = { name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' };
const OCPP201 = 'ocpp2.0.1';

/**
 * Certificates of OCPP 2.0.1 stations: the ones Kilowatt's CSMS CA signed for them (security
 * profile 3 client certificates), their renewal, and the root certificates a station holds.
 */
@ApiTags('commands')
@Controller('api/v1/stations/:id')
@Roles('admin', 'root')
export class CertificatesController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly certificates: CertificatesService,
  ) {}

  @Get('certificates')
  @ApiOperation({
    summary: "The certificates Kilowatt's CA signed for a station, newest first (at most 100)",
    description:
      'One item per accepted SignCertificate: serial, SHA-256 fingerprint, validity, the PEM sent, and whether the ' +
      'station accepted it with CertificateSigned.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: IssuedCertificateList })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'Unknown station, or another tenant’s' })
  async listIssued(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
  ): Promise<IssuedCertificateList> {
    const { tenantId } = targetOf(await this.runner.target(actor, stationId));
    const rows = await this.certificates.listIssued(tenantId, stationId);
    return { items: rows.map(IssuedCertificateResponse.of) };
  }

  @Post('certificates/:certificateId/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: "Revoke a certificate Kilowatt's CA signed for a station",
    description:
      'From then on the certificate admits its station no more: a security profile 3 handshake presenting it is ' +
      'refused (401) whatever its validity dates. A connection already open stays until the station reconnects. ' +
      'Revoking again keeps the first `revokedAt`. Recorded in the security audit log (`certificate_revoked`). A certificate Kilowatt’s CA signed for a station never admits ' +
      'another one.',
  })
  @ApiParam(STATION)
  @ApiParam({
    name: 'certificateId',
    description: 'Issued certificate id (GET certificates)',
    format: 'uuid',
  })
  @ApiOkResponse({ type: IssuedCertificateResponse })
  @ApiErrors('VALIDATION_FAILED', {
    NOT_FOUND: 'Unknown station (or another tenant’s), or no such certificate issued to it',
  })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('certificateId', certificateId) issuedId: string,
  ): Promise<IssuedCertificateResponse> {
    const { tenantId } = targetOf(await this.runner.target(actor, stationId));
    return IssuedCertificateResponse.of(await this.certificates.revoke(actor, tenantId, stationId, issuedId));
  }

  @Post('certificates/renew')
  @HttpCode(200)
  @ApiOperation({
    summary: "Renew a 2.0.1 station's certificate (TriggerMessage SignChargingStationCertificate)",
    description:
      'The station makes a new key and sends SignCertificate with its CSR; a CSR whose CN is the station id, with ' +
      "an RSA key of 2048+ bits or an EC key on P-256/P-384, is signed by Kilowatt's CA and sent back with " +
      "CertificateSigned (see GET certificates). Answers the station's reply to the trigger. Audited. A 1.6 station " +
      'answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: CertificateCommandResponse })
  @CommandErrors()
  async renew(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
  ): Promise<CertificateCommandResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    return this.runner.send(
      actor,
      target,
      'TriggerMessage',
      { requestedMessage: 'SignChargingStationCertificate' },
      OCPP201,
    );
  }

  @Get('installed-certificates')
  @ApiOperation({
    summary: 'The root certificates a 2.0.1 station holds (GetInstalledCertificateIds)',
    description:
      "Answers the station's reply: each certificate's type and hash data (as DELETE needs it). Audited. A 1.6 " +
      'station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: InstalledCertificatesResponse })
  @CommandErrors()
  async listInstalled(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Query() q: InstalledCertificatesQueryDto,
  ): Promise<InstalledCertificatesResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    return this.runner.send(
      actor,
      target,
      'GetInstalledCertificateIds',
      q.certificateType ? { certificateType: q.certificateType } : {},
      OCPP201,
    );
  }

  @Post('installed-certificates')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Install a root certificate on a 2.0.1 station (InstallCertificate)',
    description:
      "`certificate` must be one PEM-encoded X.509 certificate (400 otherwise). Answers the station's reply " +
      '(Accepted, Rejected, Failed). Audited. A 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: CertificateCommandResponse })
  @CommandErrors()
  async install(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: InstallCertificateDto,
  ): Promise<CertificateCommandResponse> {
    try {
      parseCertificate(dto.certificate);
    } catch {
      throw invalidField('certificate', 'certificate must be a PEM-encoded X.509 certificate');
    }
    const target = targetOf(await this.runner.target(actor, stationId));
    return this.runner.send(
      actor,
      target,
      'InstallCertificate',
      { certificateType: dto.certificateType, certificate: dto.certificate },
      OCPP201,
    );
  }

  @Post('installed-certificates/delete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete a certificate from a 2.0.1 station (DeleteCertificate)',
    description:
      "Names the certificate by the hash data GET installed-certificates lists. Answers the station's reply " +
      '(Accepted, Failed, NotFound). Audited. A 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: CertificateCommandResponse })
  @CommandErrors()
  async delete(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: DeleteCertificateDto,
  ): Promise<CertificateCommandResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber } = dto.certificateHashData;
    return this.runner.send(
      actor,
      target,
      'DeleteCertificate',
      { certificateHashData: { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber } },
      OCPP201,
    );
  }
}

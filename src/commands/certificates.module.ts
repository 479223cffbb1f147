import { DynamicModule, Global, Module } from '@nestjs/common';
import { CertificateAuthority } from './certificate-authority';
import { CertificatesRepository } from './certificates.repository';
import { SecurityEventsModule } from '../integrator-security/audit/security-events.module';
import { CertificatesService } from './certificates.service';
import { IssuedClientCertificates } from './client-certificates';

/** The CSMS certificate authority, loaded at boot (the TLS server trusts it too), for every module. */
@Global()
@Module({})
export class CertificateAuthorityModule {
  static forRoot(ca: CertificateAuthority): DynamicModule {
    return {
      module: CertificateAuthorityModule,
      providers: [{ provide: CertificateAuthority, useValue: ca }],
      exports: [CertificateAuthority],
    };
  }
}

/**
 * What Kilowatt's CA issued and revoked, as the OCPP gateway checks it at a profile 3 handshake:
 * apart from the certificates module, whose delivery needs the gateway.
 */
@Module({
  providers: [IssuedClientCertificates, CertificatesRepository],
  exports: [IssuedClientCertificates],
})
export class ClientCertificatesModule {}

/** Station certificates: signed by the 2.0.1 handlers' SignCertificate, listed by operator routes. */
@Module({
  imports: [SecurityEventsModule],
  providers: [CertificatesService, CertificatesRepository],
  exports: [CertificatesService],
})
export class CertificatesModule {}

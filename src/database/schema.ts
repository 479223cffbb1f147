// Every table of every module, for Drizzle's typed queries and drizzle-kit's migrations.
export * from '../tenants/tenants.tables';
export * from '../users/users.tables';
export * from '../stations/stations.tables';
export * from '../tariffs/tariffs.tables';
export * from '../sessions/sessions.tables';
export * from '../events/webhooks.tables';
export * from '../commands/commands.tables';
export * from '../auth/auth.tables';
export * from '../ocpp/ocpp.tables';
export * from '../integrator-security/integrator-security.tables';
export * from '../integrator-security/audit/security-events.tables';
export * from '../cluster/cluster.tables';
export * from '../commands/device-model.tables';
export * from '../commands/certificates.tables';
export * from '../commands/display-messages.tables';
export * from '../commands/monitoring.tables';
export * from '../commands/report-refreshes.tables';

import { ApiErrors } from '../common/api-errors';

/** The errors every command route can answer with, beside any a route adds. */
export const CommandErrors = () =>
  ApiErrors(
    'VALIDATION_FAILED',
    { NOT_FOUND: 'Unknown station, or another tenant’s' },
    'STATION_OFFLINE',
    'CHARGER_ERROR',
    'CHARGER_TIMEOUT',
    { UNSUPPORTED_BY_PROTOCOL: "the station's OCPP version has no such command" },
  );

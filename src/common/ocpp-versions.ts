/** The OCPP-J subprotocols Kilowatt speaks, in order of preference (a station may be pinned to some). */
export const OCPP_VERSIONS = ['ocpp2.0.1', 'ocpp1.6'] as const;
export type OcppVersion = (typeof OCPP_VERSIONS)[number];

// The facts an operator declares about a connector, in OCPI 2.2.1's words (mod_locations,
// ConnectorType, ConnectorFormat and PowerType enums).

export const CONNECTOR_STANDARDS = [
  'CHADEMO',
  'CHAOJI',
  'DOMESTIC_A',
  'DOMESTIC_B',
  'DOMESTIC_C',
  'DOMESTIC_D',
  'DOMESTIC_E',
  'DOMESTIC_F',
  'DOMESTIC_G',
  'DOMESTIC_H',
  'DOMESTIC_I',
  'DOMESTIC_J',
  'DOMESTIC_K',
  'DOMESTIC_L',
  'GBT_AC',
  'GBT_DC',
  'IEC_60309_2_single_16',
  'IEC_60309_2_three_16',
  'IEC_60309_2_three_32',
  'IEC_60309_2_three_64',
  'IEC_62196_T1',
  'IEC_62196_T1_COMBO',
  'IEC_62196_T2',
  'IEC_62196_T2_COMBO',
  'IEC_62196_T3A',
  'IEC_62196_T3C',
  'NEMA_5_20',
  'NEMA_6_30',
  'NEMA_6_50',
  'NEMA_10_30',
  'NEMA_10_50',
  'NEMA_14_30',
  'NEMA_14_50',
  'PANTOGRAPH_BOTTOM_UP',
  'PANTOGRAPH_TOP_DOWN',
  'TESLA_R',
  'TESLA_S',
] as const;
export type ConnectorStandard = (typeof CONNECTOR_STANDARDS)[number];

export const CONNECTOR_FORMATS = ['SOCKET', 'CABLE'] as const;
export const POWER_TYPES = ['AC_1_PHASE', 'AC_3_PHASE', 'DC'] as const;

/** The status of a connector the charger has not reported yet (OCPI's EVSE status UNKNOWN). */
export const UNREPORTED_STATUS = 'Unknown';

/** The names drivers know, for the legacy free-text `type` (and its `connectorType` filter). */
const COMMON_NAMES: Partial<Record<ConnectorStandard, string>> = {
  CHADEMO: 'CHAdeMO',
  IEC_62196_T1: 'Type1',
  IEC_62196_T1_COMBO: 'CCS1',
  IEC_62196_T2: 'Type2',
  IEC_62196_T2_COMBO: 'CCS2',
  IEC_62196_T3A: 'Type3A',
  IEC_62196_T3C: 'Type3C',
  GBT_AC: 'GB/T AC',
  GBT_DC: 'GB/T DC',
  TESLA_S: 'Tesla',
  DOMESTIC_F: 'Schuko',
};

/** `type` of a declared connector: the common name of its standard, or the standard itself. */
export const typeOfStandard = (standard: ConnectorStandard): string => COMMON_NAMES[standard] ?? standard;

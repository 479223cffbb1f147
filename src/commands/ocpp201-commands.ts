import schemas201 from 'ocpp-rpc/lib/schemas/ocpp2_0_1.json';

/**
 * The requests a CSMS sends to an OCPP 2.0.1 charging station (OCPP 2.0.1 Part 2, §1 message
 * list), by their kebab-case command name: `get-variables` → GetVariables.
 */
export const OCPP201_COMMANDS: readonly string[] = [
  'CancelReservation',
  'CertificateSigned',
  'ChangeAvailability',
  'ClearCache',
  'ClearChargingProfile',
  'ClearDisplayMessage',
  'ClearVariableMonitoring',
  'CostUpdated',
  'CustomerInformation',
  'DataTransfer',
  'DeleteCertificate',
  'GetBaseReport',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'GetDisplayMessages',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetLog',
  'GetMonitoringReport',
  'GetReport',
  'GetTransactionStatus',
  'GetVariables',
  'InstallCertificate',
  'PublishFirmware',
  'RequestStartTransaction',
  'RequestStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'SetDisplayMessage',
  'SetMonitoringBase',
  'SetMonitoringLevel',
  'SetNetworkProfile',
  'SetVariableMonitoring',
  'SetVariables',
  'TriggerMessage',
  'UnlockConnector',
  'UnpublishFirmware',
  'UpdateFirmware',
];

export const kebabOf = (action: string) => action.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase();

const BY_KEBAB = new Map(OCPP201_COMMANDS.map((a) => [kebabOf(a), a]));

/** The 2.0.1 action of a command name; undefined for a name that is none. */
export const ocpp201Action = (command: string): string | undefined => BY_KEBAB.get(command);

/**
 * Commands the generic route refuses, with the route that does the job and keeps its records: a
 * transaction started or stopped behind the sessions' back would have no pending session, and a
 * Basic Auth password set behind the stations' back would lock the station out.
 */
export function refusalOf(action: string, body: Record<string, unknown>): string | null {
  if (action === 'RequestStartTransaction' || action === 'RequestStopTransaction')
    return `${action} is sent by POST /api/v1/sessions and POST /api/v1/sessions/{id}/stop`;
  if (action === 'SetVariables' && JSON.stringify(body).includes('BasicAuthPassword'))
    return 'SecurityCtrlr.BasicAuthPassword is the station password: set it with PUT /api/v1/stations/{id}/password';
  return null;
}

interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  minItems?: number;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  definitions?: Record<string, JsonSchema>;
}

const REQUEST_SCHEMAS = new Map(
  (schemas201 as unknown as (JsonSchema & { $id: string })[]).map((schema) => [schema.$id, schema]),
);

/** The smallest request the OCA schema accepts: required fields only, first enum values. */
function minimalValue(node: JsonSchema, root: JsonSchema): unknown {
  if (node.$ref) return minimalValue(root.definitions![node.$ref.split('/').pop()!], root);
  if (node.enum) return node.enum[0];
  switch (node.type) {
    case 'object':
      return Object.fromEntries(
        (node.required ?? []).map((key) => [key, minimalValue(node.properties![key], root)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, node.minItems ?? 1) }, () => minimalValue(node.items!, root));
    case 'integer':
    case 'number':
      return Math.max(1, node.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string':
      if (node.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (node.format === 'uri') return 'https://example.com/file';
      return 'string'.slice(0, node.maxLength ?? 6);
    default:
      return {};
  }
}

/** What the Swagger page shows of one command: its required fields and the smallest valid body. */
function generatedExample(action: string): { summary: string; description: string; value: object } {
  const schema = REQUEST_SCHEMAS.get(`urn:${action}.req`)!;
  const required = schema.required ?? [];
  return {
    summary: action,
    description: `${action}.req of the OCA 2.0.1 schemas; required: ${required.length ? required.join(', ') : 'nothing'}. The smallest valid body:`,
    value: minimalValue(schema, schema) as object,
  };
}

/** Hand-written examples of the commands operators send most. */
const WRITTEN_EXAMPLES: Record<string, { summary: string; value: object }> = {
  'get-variables': {
    summary: 'GetVariables',
    value: {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    },
  },
  'set-variables': {
    summary: 'SetVariables',
    value: {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeValue: '300',
        },
      ],
    },
  },
  'get-base-report': { summary: 'GetBaseReport', value: { requestId: 1, reportBase: 'FullInventory' } },
  'get-log': {
    summary: 'GetLog',
    value: {
      logType: 'DiagnosticsLog',
      requestId: 7,
      log: { remoteLocation: 'https://logs.example.com/upload' },
    },
  },
  'unlock-connector': { summary: 'UnlockConnector', value: { evseId: 1, connectorId: 1 } },
  'cost-updated': { summary: 'CostUpdated', value: { totalCost: 4.2, transactionId: 'f3b1c2d4' } },
  'get-transaction-status': { summary: 'GetTransactionStatus', value: { transactionId: 'f3b1c2d4' } },
  'set-display-message': {
    summary: 'SetDisplayMessage',
    value: { message: { id: 1, priority: 'NormalCycle', message: { format: 'UTF8', content: 'Welcome' } } },
  },
};

/** A request example for every command on the Swagger page, each valid against its schema. */
export const OCPP201_EXAMPLES: Record<string, { summary: string; description?: string; value: object }> =
  Object.fromEntries(
    OCPP201_COMMANDS.map((action) => {
      const command = kebabOf(action);
      return [command, WRITTEN_EXAMPLES[command] ?? generatedExample(action)];
    }),
  );

// The connector QR format: `ocpp://{chargePointId}?connector={n}`. The charge point id is
// percent-encoded (encodeURIComponent) so that any id survives the round trip; `connector` is a
// positive integer given exactly once. Unknown extra parameters are ignored, so a sticker may
// carry more (a vendor's own hints) without breaking older apps; a path or a fragment is refused.
import { DomainError } from '../common/domain-error';

export const QR_SCHEME = 'ocpp://';
/** Longest charge point id we accept anywhere (OCPP 1.6 identities are short strings). */
export const CHARGE_POINT_ID_MAX = 48;

export interface ConnectorRef {
  chargePointId: string;
  connectorId: number;
}

const CONNECTOR = /^[1-9][0-9]{0,8}$/;

function invalid(reason: string): DomainError {
  const message = `qr ${reason}`;
  return new DomainError('VALIDATION_FAILED', message, { fields: [{ field: 'qr', errors: [message] }] });
}

export function connectorQrPayload(chargePointId: string, connectorId: number): string {
  if (chargePointId.length === 0 || chargePointId.length > CHARGE_POINT_ID_MAX) {
    throw invalid(`charge point id must be 1-${CHARGE_POINT_ID_MAX} characters`);
  }
  if (!Number.isSafeInteger(connectorId) || !CONNECTOR.test(String(connectorId))) {
    throw invalid('connector must be a positive integer');
  }
  return `${QR_SCHEME}${encodeURIComponent(chargePointId)}?connector=${connectorId}`;
}

export function parseConnectorQr(text: unknown): ConnectorRef {
  if (typeof text !== 'string') throw invalid('must be a string');
  const raw = text.trim();
  if (raw.slice(0, QR_SCHEME.length).toLowerCase() !== QR_SCHEME) {
    throw invalid(`must start with ${QR_SCHEME}`);
  }
  const rest = raw.slice(QR_SCHEME.length);
  if (rest.includes('#')) throw invalid('must not carry a fragment');
  const q = rest.indexOf('?');
  const encodedId = q < 0 ? rest : rest.slice(0, q);
  if (encodedId.includes('/')) throw invalid('must not carry a path after the charge point id');

  let chargePointId: string;
  try {
    chargePointId = decodeURIComponent(encodedId);
  } catch {
    throw invalid('charge point id is not valid percent-encoding');
  }
  if (chargePointId.length === 0) throw invalid('has no charge point id');
  if (chargePointId.length > CHARGE_POINT_ID_MAX) {
    throw invalid(`charge point id is longer than ${CHARGE_POINT_ID_MAX} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(chargePointId)) {
    throw invalid('charge point id contains spaces or control characters');
  }

  const connectors = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)).getAll('connector');
  if (connectors.length === 0) throw invalid('has no connector parameter');
  if (connectors.length > 1) throw invalid('has more than one connector parameter');
  if (!CONNECTOR.test(connectors[0])) throw invalid('connector must be a positive integer');
  return { chargePointId, connectorId: Number(connectors[0]) };
}

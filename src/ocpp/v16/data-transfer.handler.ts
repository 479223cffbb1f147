import type { Handler } from '../gateway/handler';
import type { DataTransferConf, DataTransferReq } from '../../ocpp-types/ocpp16';

/**
 * Vendor-specific extensions. This central system implements none, so every vendor is unknown
 * (OCPP 1.6 §4.3); the frame itself stays in the station's message log.
 */
export const dataTransfer = (): Handler<DataTransferReq, DataTransferConf> => async () => ({
  status: 'UnknownVendorId',
});

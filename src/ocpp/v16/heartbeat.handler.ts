import type { Handler } from '../gateway/handler';
import type { HeartbeatConf, HeartbeatReq } from '../../ocpp-types/ocpp16';

/** The gateway already noted the charger as seen; the answer synchronises its clock. */
export const heartbeat = (): Handler<HeartbeatReq, HeartbeatConf> => async () => ({
  currentTime: new Date().toISOString(),
});

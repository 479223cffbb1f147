import type { ChargerContext, Handler } from '../gateway/handler';
import type { AuthorizeConf, AuthorizeReq } from '../../ocpp-types/ocpp16';

/** What UsersModule's IdTagsService.authorize answers (ConcurrentTx: sessions knows it is charging). */
export interface IdTagAuthorization {
  status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
  expiryDate?: Date;
  parentIdTag?: string;
  userId?: string;
}

export interface IdTagAuthority {
  authorize(charger: ChargerContext, idTag: string): Promise<IdTagAuthorization>;
}

/** An idTag is judged within the station's tenant; another tenant's tag is simply Invalid. */
export const authorize =
  (idTags: IdTagAuthority): Handler<AuthorizeReq, AuthorizeConf> =>
  async ({ chargePointId, stationId, tenantId, params }) => {
    const a = await idTags.authorize({ chargePointId, stationId, tenantId }, params.idTag);
    return {
      idTagInfo: {
        status: a.status,
        ...(a.expiryDate ? { expiryDate: a.expiryDate.toISOString() } : {}),
        ...(a.parentIdTag ? { parentIdTag: a.parentIdTag } : {}),
      },
    };
  };

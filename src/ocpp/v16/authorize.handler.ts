import type { IdTagsService } from '../../users/id-tags.service';
import type { Handler } from './handler';
import type { AuthorizeConf, AuthorizeReq } from './ocpp16-types';

/** An idTag is judged within the station's tenant; another tenant's tag is simply Invalid. */
export const authorize =
  (idTags: Pick<IdTagsService, 'authorize'>): Handler<AuthorizeReq, AuthorizeConf> =>
  async ({ tenantId, params }) => {
    const a = await idTags.authorize(tenantId, params.idTag);
    return {
      idTagInfo: {
        status: a.status,
        ...(a.expiryDate ? { expiryDate: a.expiryDate.toISOString() } : {}),
        ...(a.parentIdTag ? { parentIdTag: a.parentIdTag } : {}),
      },
    };
  };

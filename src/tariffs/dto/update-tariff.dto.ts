import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateTariffDto } from './tariff.dto';

/**
 * Every field optional; null clears an optional one. Sending stationId or siteId reassigns the
 * tariff (both null: tenant default). Each change bumps `version`; sessions already started keep
 * the plan they froze at start.
 */
export class UpdateTariffDto extends PartialType(OmitType(CreateTariffDto, ['tenantId'] as const)) {}

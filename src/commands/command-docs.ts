import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../common/error.response';

/** The errors every command route can answer with. */
export const CommandErrors = () =>
  applyDecorators(
    ApiBadRequestResponse({ type: ErrorResponse, description: 'VALIDATION_FAILED naming the fields' }),
    ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown station, or another tenant’s' }),
    ApiConflictResponse({
      type: ErrorResponse,
      description: 'STATION_OFFLINE: the charger is not connected',
    }),
    ApiResponse({
      status: 502,
      type: ErrorResponse,
      description: 'CHARGER_ERROR: the charger answered with a CALLERROR (details.ocppErrorCode)',
    }),
    ApiGatewayTimeoutResponse({ type: ErrorResponse, description: 'CHARGER_TIMEOUT: no reply in time' }),
  );

import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { uuidParam } from '../common/uuid-param';
import { ApiErrors } from '../common/api-errors';
import { CommandErrors } from './command-docs';
import { CommandRunner, targetOf } from './command-runner.service';
import { OCPP201_COMMANDS, OCPP201_EXAMPLES, kebabOf, ocpp201Action, refusalOf } from './ocpp201-commands';

const id = uuidParam('id');

/**
 * Every request of OCPP 2.0.1 a CSMS sends, for 2.0.1 stations: the body is the request as the
 * OCPP 2.0.1 schema spells it (already camelCase), the answer the station's reply. Names that the
 * 1.6 routes also use (reset, change-availability, trigger-message, …) are served by those routes
 * with their 1.6 bodies, translated. Registered after every other command route.
 */
@ApiTags('commands')
@Controller('api/v1/stations/:id/commands')
@Roles('admin', 'root')
export class Ocpp201CommandsController {
  constructor(private readonly runner: CommandRunner) {}

  @Post(':command')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Any OCPP 2.0.1 command (get-variables, set-variables, get-base-report, get-log, unlock-connector, …)',
    description:
      'The body is the OCPP 2.0.1 request of the action named in kebab case, checked against the OCA 2.0.1 schema ' +
      "(400 VALIDATION_FAILED naming the fields); the answer is the station's reply as it sent it. Audited like every command. " +
      'A 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL. RequestStart/StopTransaction go through /sessions, and the ' +
      'Basic Auth password through PUT /stations/{id}/password (400 here).',
  })
  @ApiParam({ name: 'command', enum: OCPP201_COMMANDS.map(kebabOf), example: 'get-variables' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true }, examples: OCPP201_EXAMPLES })
  @ApiOkResponse({
    description: "The station's reply",
    schema: {
      type: 'object',
      additionalProperties: true,
      example: { getVariableResult: [{ attributeStatus: 'Accepted' }] },
    },
  })
  @CommandErrors()
  @ApiErrors({
    BAD_REQUEST: 'RequestStart/StopTransaction and the Basic Auth password have their own routes',
  })
  async send(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('command') command: string,
    @Body() body: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const action = ocpp201Action(command);
    if (!action) throw notFound('Command', command);
    const target = targetOf(await this.runner.target(actor, stationId));
    const refusal = refusalOf(action, body ?? {});
    if (refusal) throw new DomainError('BAD_REQUEST', refusal);
    return this.runner.send<Record<string, unknown>>(actor, target, action, body ?? {}, 'ocpp2.0.1');
  }
}

import standardValidators from 'ocpp-rpc/lib/standard-validators';
import { OCPP201_COMMANDS, OCPP201_EXAMPLES, kebabOf } from './ocpp201-commands';

const validator = standardValidators.find((v) => v.subprotocol === 'ocpp2.0.1')!;

describe('the Swagger examples of the OCPP 2.0.1 commands', () => {
  it('has one for every command', () => {
    expect(Object.keys(OCPP201_EXAMPLES).sort()).toEqual(OCPP201_COMMANDS.map(kebabOf).sort());
  });

  it.each(OCPP201_COMMANDS)('gives %s a body its OCA schema accepts', (action) => {
    const { value } = OCPP201_EXAMPLES[kebabOf(action)];
    expect(() => validator.validate(`urn:${action}.req`, value)).not.toThrow();
  });

  it('names the required fields of a generated one', () => {
    expect(OCPP201_EXAMPLES['set-charging-profile']).toMatchObject({
      summary: 'SetChargingProfile',
      description: expect.stringContaining('required: evseId, chargingProfile'),
      value: {
        evseId: 1,
        chargingProfile: { chargingSchedule: [{ chargingSchedulePeriod: [{ limit: 1 }] }] },
      },
    });
  });
});

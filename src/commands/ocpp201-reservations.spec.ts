import fc from 'fast-check';
import standardValidators from 'ocpp-rpc/lib/standard-validators';
import { translate201 } from './ocpp201-translations';

const validator = standardValidators.find((v) => v.subprotocol === 'ocpp2.0.1')!;

// What ReserveNowDto and the user reservation route let through: 1.6 idTags (CiString20).
const idTag = fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(...'ABCDEF0123456789-_') });
const reservation = fc.record(
  {
    reservationId: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    expiryDate: fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    idTag,
    parentIdTag: idTag,
    evseId: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: null }),
  },
  { requiredKeys: ['reservationId', 'expiryDate', 'idTag', 'evseId'] },
);

describe('ReserveNow for an OCPP 2.0.1 station', () => {
  it('is a request the 2.0.1 schema accepts, carrying the reservation as given', () => {
    fc.assert(
      fc.property(reservation, (r) => {
        const body = translate201.reserveNow(r);
        expect(() => validator.validate('urn:ReserveNow.req', body)).not.toThrow();
        expect(body).toMatchObject({
          id: r.reservationId,
          expiryDateTime: r.expiryDate,
          idToken: { idToken: r.idTag, type: 'Central' },
        });
        expect(body.groupIdToken?.idToken).toBe(r.parentIdTag);
      }),
    );
  });

  it('names an EVSE only for one of the station’s EVSEs, never EVSE 0 (the whole station)', () => {
    fc.assert(
      fc.property(reservation, (r) => {
        const body = translate201.reserveNow(r);
        expect(body.evseId).toBe(r.evseId !== null && r.evseId > 0 ? r.evseId : undefined);
      }),
    );
  });
});

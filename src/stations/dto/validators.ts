import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { isValidTimeZone } from '../../common/time-zones';

/** An IANA time zone the runtime knows, e.g. `Europe/Berlin`. */
export const IsIanaTimeZone = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isIanaTimeZone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidTimeZone(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an IANA time zone such as Europe/Berlin`,
          options,
        ),
      },
    },
    options,
  );

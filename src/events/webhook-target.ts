import { LookupAddress, LookupAllOptions, LookupOneOptions, lookup as lookupCallback } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../common/domain-error';
import { forbiddenAddressReason } from './address-policy';

const refuse = (message: string) => new DomainError('WEBHOOK_TARGET_NOT_ALLOWED', message);

/**
 * Checks that a webhook URL may be called: http(s) only, no credentials in it, and every address
 * its host resolves to is public. Run at registration and again before each attempt, so a name
 * re-pointed at an internal address after registration (DNS rebinding) is refused too.
 */
export async function assertWebhookTarget(rawUrl: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'url must be an absolute http(s) URL', {
      fields: [{ field: 'url', errors: ['url must be an absolute http(s) URL'] }],
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse(`Webhook URLs must use http or https, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw refuse('Webhook URLs must not carry credentials');
  if (allowPrivate) return url;

  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw refuse(`The webhook host ${host} does not resolve`);
    }
  }
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason)
      throw refuse(
        `The webhook host ${host} resolves to ${address}, a ${reason} address; only public addresses are allowed`,
      );
  }
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the socket that delivers a webhook: the name is resolved once more when the
 * connection is made, and a private address refuses the connection. Without it, a name answering
 * a public address to the check above and a private one to the connection a moment later would
 * still reach an internal service.
 */
export function publicOnlyLookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: LookupCallback,
): void {
  lookupCallback(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const forbidden = addresses.find((a) => forbiddenAddressReason(a.address));
    if (forbidden) {
      const reason = forbiddenAddressReason(forbidden.address);
      return callback(
        refuse(
          `The webhook host ${hostname} resolved to ${forbidden.address}, a ${reason} address, when connecting`,
        ) as NodeJS.ErrnoException,
        [],
      );
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}

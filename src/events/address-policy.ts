import { BlockList, isIP } from 'node:net';

/**
 * Networks a webhook must never reach unless private targets are allowed: a server-side request
 * to them would let a tenant probe our own network or the cloud metadata service (SSRF).
 */
const RANGES: { net: string; prefix: number; family: 'ipv4' | 'ipv6'; why: string }[] = [
  { net: '0.0.0.0', prefix: 8, family: 'ipv4', why: 'unspecified ("this network")' },
  { net: '10.0.0.0', prefix: 8, family: 'ipv4', why: 'private' },
  { net: '100.64.0.0', prefix: 10, family: 'ipv4', why: 'carrier-grade NAT' },
  { net: '127.0.0.0', prefix: 8, family: 'ipv4', why: 'loopback' },
  { net: '169.254.0.0', prefix: 16, family: 'ipv4', why: 'link-local (cloud metadata)' },
  { net: '172.16.0.0', prefix: 12, family: 'ipv4', why: 'private' },
  { net: '192.0.0.0', prefix: 24, family: 'ipv4', why: 'IETF protocol assignments' },
  { net: '192.168.0.0', prefix: 16, family: 'ipv4', why: 'private' },
  { net: '198.18.0.0', prefix: 15, family: 'ipv4', why: 'benchmarking' },
  { net: '224.0.0.0', prefix: 4, family: 'ipv4', why: 'multicast' },
  { net: '240.0.0.0', prefix: 4, family: 'ipv4', why: 'reserved or broadcast' },
  { net: '::', prefix: 128, family: 'ipv6', why: 'unspecified' },
  { net: '::1', prefix: 128, family: 'ipv6', why: 'loopback' },
  { net: '64:ff9b::', prefix: 96, family: 'ipv6', why: 'NAT64 (embeds an IPv4 address)' },
  { net: 'fc00::', prefix: 7, family: 'ipv6', why: 'unique-local' },
  { net: 'fe80::', prefix: 10, family: 'ipv6', why: 'link-local' },
  { net: 'ff00::', prefix: 8, family: 'ipv6', why: 'multicast' },
];

const blocked = RANGES.map((r) => {
  const list = new BlockList();
  list.addSubnet(r.net, r.prefix, r.family);
  return { list, why: r.why };
});

/**
 * Why an address may not be a webhook target, or null when it is a public unicast address.
 * Anything that is not a valid IP literal is refused too.
 */
export function forbiddenAddressReason(address: string): string | null {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  // BlockList also matches IPv4-mapped IPv6 (`::ffff:10.0.0.1`, `::ffff:a00:1`) against IPv4 ranges.
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const hit = blocked.find((b) => b.list.check(ip, type));
  return hit ? hit.why : null;
}

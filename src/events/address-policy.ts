import { BlockList, isIP } from 'node:net';

/**
 * Networks a webhook must never reach unless private targets are allowed: a server-side request
 * to them would let a tenant probe our own network or the cloud metadata service (SSRF).
 */
const IPV4_RANGES: { net: string; prefix: number; why: string }[] = [
  { net: '0.0.0.0', prefix: 8, why: 'unspecified ("this network")' },
  { net: '10.0.0.0', prefix: 8, why: 'private' },
  { net: '100.64.0.0', prefix: 10, why: 'carrier-grade NAT' },
  { net: '127.0.0.0', prefix: 8, why: 'loopback' },
  { net: '169.254.0.0', prefix: 16, why: 'link-local (cloud metadata)' },
  { net: '172.16.0.0', prefix: 12, why: 'private' },
  { net: '192.0.0.0', prefix: 24, why: 'IETF protocol assignments' },
  { net: '192.0.2.0', prefix: 24, why: 'documentation' },
  { net: '192.168.0.0', prefix: 16, why: 'private' },
  { net: '198.18.0.0', prefix: 15, why: 'benchmarking' },
  { net: '198.51.100.0', prefix: 24, why: 'documentation' },
  { net: '203.0.113.0', prefix: 24, why: 'documentation' },
  { net: '224.0.0.0', prefix: 4, why: 'multicast' },
  { net: '240.0.0.0', prefix: 4, why: 'reserved or broadcast' },
];

/** IPv6 networks refused whatever they carry; the forms that embed an IPv4 address are judged below. */
const IPV6_RANGES: { net: string; prefix: number; why: string }[] = [
  { net: '::', prefix: 128, why: 'unspecified' },
  { net: '::1', prefix: 128, why: 'loopback' },
  { net: '64:ff9b:1::', prefix: 48, why: 'local-use NAT64' },
  { net: '100::', prefix: 64, why: 'discard-only' },
  { net: '2001:db8::', prefix: 32, why: 'documentation' },
  { net: 'fc00::', prefix: 7, why: 'unique-local' },
  { net: 'fe80::', prefix: 10, why: 'link-local' },
  { net: 'fec0::', prefix: 10, why: 'site-local' },
  { net: 'ff00::', prefix: 8, why: 'multicast' },
];

const listOf = (family: 'ipv4' | 'ipv6', ranges: { net: string; prefix: number; why: string }[]) =>
  ranges.map((r) => {
    const list = new BlockList();
    list.addSubnet(r.net, r.prefix, family);
    return { list, why: r.why };
  });

const blockedV4 = listOf('ipv4', IPV4_RANGES);
const blockedV6 = listOf('ipv6', IPV6_RANGES);

/** The eight 16-bit groups of a valid IPv6 literal (`::` expanded, a dotted IPv4 tail split in two). */
export function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

const v4Of = (high: number, low: number) =>
  [high >> 8, high & 0xff, low >> 8, low & 0xff].map((n) => n & 0xff).join('.');

/**
 * Every IPv4 address an IPv6 address carries, with the name of the form: a packet sent to it
 * ends up at that IPv4 address (through the host's own stack, a NAT64 gateway or a 6to4/Teredo
 * relay), so it is judged as that address.
 */
export function embeddedIpv4(groups: number[]): { address: string; form: string }[] {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  const zeroTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroTo(5) && g5 === 0xffff) return [{ address: v4Of(g6, g7), form: 'IPv4-mapped ::ffff:0:0/96' }];
  if (zeroTo(4) && g4 === 0xffff && g5 === 0)
    return [{ address: v4Of(g6, g7), form: 'IPv4-translated ::ffff:0:0:0/96' }];
  if (zeroTo(6)) return [{ address: v4Of(g6, g7), form: 'IPv4-compatible ::/96' }];
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return [{ address: v4Of(g6, g7), form: 'NAT64 64:ff9b::/96' }];
  if (g0 === 0x2002) return [{ address: v4Of(g1, g2), form: '6to4 2002::/16' }];
  if (g0 === 0x2001 && g1 === 0)
    return [
      { address: v4Of(g2, g3), form: 'Teredo server 2001::/32' },
      // RFC 4380: the client's public address is stored with every bit inverted.
      { address: v4Of(~g6, ~g7), form: 'Teredo client 2001::/32' },
    ];
  return [];
}

const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

function ipv4Reason(ip: string): string | null {
  return blockedV4.find((b) => b.list.check(ip, 'ipv4'))?.why ?? null;
}

function ipv6Reason(ip: string): string | null {
  const fixed = blockedV6.find((b) => b.list.check(ip, 'ipv6'));
  if (fixed) return fixed.why;
  const embedded = embeddedIpv4(ipv6Groups(ip));
  for (const { address, form } of embedded) {
    const why = ipv4Reason(address);
    if (why) return `${why} (${address} embedded as ${form})`;
  }
  if (embedded.length > 0) return null;
  return globalUnicast.check(ip, 'ipv6') ? null : 'non-global IPv6 (outside 2000::/3)';
}

/**
 * Why an address may not be a webhook target, or null when it is a public unicast address.
 * Anything that is not a valid IP literal is refused too. An IPv6 address that embeds an IPv4
 * address (mapped, translated, compatible, NAT64, 6to4, Teredo) is judged by the IPv4 address,
 * whatever its spelling.
 */
export function forbiddenAddressReason(address: string): string | null {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  return family === 4 ? ipv4Reason(ip) : ipv6Reason(ip);
}

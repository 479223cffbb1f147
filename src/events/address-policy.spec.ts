import fc from 'fast-check';
import { embeddedIpv4, forbiddenAddressReason, ipv6Groups } from './address-policy';

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.20', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['203.0.113.7', 'documentation'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['::2:0:0:1', 'non-global IPv6 (outside 2000::/3)'],
    ['::ffff:127.0.0.1', 'loopback (127.0.0.1 embedded as IPv4-mapped ::ffff:0:0/96)'],
    [
      '::ffff:a9fe:a9fe',
      'link-local (cloud metadata) (169.254.169.254 embedded as IPv4-mapped ::ffff:0:0/96)',
    ],
    ['::ffff:10.1.2.3', 'private (10.1.2.3 embedded as IPv4-mapped ::ffff:0:0/96)'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback (127.0.0.1 embedded as IPv4-mapped ::ffff:0:0/96)'],
    ['[::127.0.0.1]', 'loopback (127.0.0.1 embedded as IPv4-compatible ::/96)'],
    ['::7f00:1', 'loopback (127.0.0.1 embedded as IPv4-compatible ::/96)'],
    ['::ffff:0:127.0.0.1', 'loopback (127.0.0.1 embedded as IPv4-translated ::ffff:0:0:0/96)'],
    ['2002:7f00:1::', 'loopback (127.0.0.1 embedded as 6to4 2002::/16)'],
    ['2002:a9fe:a9fe::1', 'link-local (cloud metadata) (169.254.169.254 embedded as 6to4 2002::/16)'],
    ['64:ff9b::a00:1', 'private (10.0.0.1 embedded as NAT64 64:ff9b::/96)'],
    ['64:ff9b::127.0.0.1', 'loopback (127.0.0.1 embedded as NAT64 64:ff9b::/96)'],
    ['2001:0:7f00:1::808:808', 'loopback (127.0.0.1 embedded as Teredo server 2001::/32)'],
    ['2001:0:808:808::80ff:fffe', 'loopback (127.0.0.1 embedded as Teredo client 2001::/32)'],
    ['localhost', 'not an IP address'],
    ['', 'not an IP address'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:808:808::f7f7:f7f7',
  ])('allows the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });
});

describe('IPv6 embeddings of IPv4 addresses (property-based)', () => {
  const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
  const group = fc.nat(0xffff);
  const groupsOf = (a: number[]) => [(a[0] << 8) | a[1], (a[2] << 8) | a[3]];
  const dotted = (a: number[]) => a.join('.');

  /** An IPv4 address inside one of the refused networks, with random host bits. */
  const forbiddenV4 = fc
    .tuple(
      fc.constantFrom<[number[], number]>(
        [[127, 0, 0, 0], 8],
        [[10, 0, 0, 0], 8],
        [[169, 254, 0, 0], 16],
        [[172, 16, 0, 0], 12],
        [[192, 168, 0, 0], 16],
        [[100, 64, 0, 0], 10],
        [[0, 0, 0, 0], 8],
        [[224, 0, 0, 0], 4],
      ),
      fc.nat(0xffffffff),
    )
    .map(([[net, prefix], host]) => {
      const base = ((net[0] << 24) | (net[1] << 16) | (net[2] << 8) | net[3]) >>> 0;
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      const n = ((base & mask) | (host & ~mask)) >>> 0;
      return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
    });
  const publicV4 = octets.map((a) => [...a]).filter((a) => forbiddenAddressReason(dotted(a)) === null);

  /** The ways an IPv6 address carries an IPv4 one; `other` fills the bits the form leaves free. */
  const embeddings: Record<string, (v4: number[], other: number[], peer: number[]) => number[]> = {
    mapped: (v4) => [0, 0, 0, 0, 0, 0xffff, ...groupsOf(v4)],
    translated: (v4) => [0, 0, 0, 0, 0xffff, 0, ...groupsOf(v4)],
    compatible: (v4) => [0, 0, 0, 0, 0, 0, ...groupsOf(v4)],
    nat64: (v4) => [0x64, 0xff9b, 0, 0, 0, 0, ...groupsOf(v4)],
    sixToFour: (v4, other) => [0x2002, ...groupsOf(v4), ...other.slice(0, 5)],
    teredoServer: (v4, other, peer) => [
      0x2001,
      0,
      ...groupsOf(v4),
      ...other.slice(0, 2),
      ...groupsOf(peer).map((g) => ~g & 0xffff),
    ],
    teredoClient: (v4, other, peer) => [
      0x2001,
      0,
      ...groupsOf(peer),
      ...other.slice(0, 2),
      ...groupsOf(v4).map((g) => ~g & 0xffff),
    ],
  };
  const form = fc.constantFrom(...Object.keys(embeddings));
  const others = fc.array(group, { minLength: 5, maxLength: 5 });

  /** Spellings of the same address: full, as the URL parser writes it, upper-case, in brackets. */
  const spellings = (groups: number[]) => {
    const full = groups.map((g) => g.toString(16)).join(':');
    const canonical = new URL(`http://[${full}]/`).hostname.slice(1, -1);
    const dottedTail = `${groups
      .slice(0, 6)
      .map((g) => g.toString(16))
      .join(':')}:${dotted([groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff])}`;
    return [full, canonical, canonical.toUpperCase(), `[${canonical}]`, dottedTail];
  };

  it('parses every spelling back to the same groups', () => {
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        for (const s of spellings(groups).map((x) => x.replace(/^\[|\]$/g, '')))
          expect(ipv6Groups(s)).toEqual(groups);
      }),
    );
  });

  it('refuses a refused IPv4 address in every embedding and spelling', () => {
    fc.assert(
      fc.property(forbiddenV4, form, others, publicV4, (v4, name, other, peer) => {
        const groups = embeddings[name](v4, other, peer);
        expect(embeddedIpv4(groups).map((e) => e.address)).toContain(dotted(v4));
        for (const s of spellings(groups)) expect(forbiddenAddressReason(s)).not.toBeNull();
      }),
    );
  });

  it('judges a public IPv4 address the same in every embedding', () => {
    fc.assert(
      fc.property(publicV4, form, others, publicV4, (v4, name, other, peer) => {
        const groups = embeddings[name](v4, other, peer);
        for (const s of spellings(groups)) expect(forbiddenAddressReason(s)).toBeNull();
      }),
    );
  });

  it('never throws and answers the same for every spelling of any address', () => {
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const answers = new Set(spellings(groups).map(forbiddenAddressReason));
        expect(answers.size).toBe(1);
      }),
    );
  });
});

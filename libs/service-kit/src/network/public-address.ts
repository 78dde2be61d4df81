import { BlockList, isIP } from 'node:net';

/**
 * Ranges that are not the public internet (IANA special-purpose registries): loopback, private
 * (RFC 1918, RFC 4193), link-local, unspecified, shared CGNAT space, benchmarking, documentation,
 * multicast, reserved and broadcast. An address in one of them reaches this host, its network or
 * its cloud's metadata service, never a platform's webhook receiver.
 */
const NON_PUBLIC_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", including the unspecified 0.0.0.0
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space (CGNAT, RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including the 169.254.169.254 metadata service
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast 255.255.255.255
];

const NON_PUBLIC_V6: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard-only
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): where the IPv4 sits is the network's choice
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address a relay would reach
  ['5f00::', 16], // segment routing
  ['fc00::', 7], // unique local (RFC 4193)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

const blocked = new BlockList();
for (const [network, prefix] of NON_PUBLIC_V4) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of NON_PUBLIC_V6) blocked.addSubnet(network, prefix, 'ipv6');

/**
 * IPv6 prefixes whose last 32 bits are an IPv4 address the packet ends up at: IPv4-mapped
 * (`::ffff:127.0.0.1`), IPv4-compatible (`::127.0.0.1`, deprecated), IPv4-translated and the NAT64
 * well-known prefix (`64:ff9b::/96`). Such an address is as public as the IPv4 inside it.
 */
const EMBEDDING_V4: Array<{ prefix: number[]; words: number }> = [
  { prefix: [0, 0, 0, 0, 0, 0xffff], words: 6 },
  { prefix: [0, 0, 0, 0, 0, 0], words: 6 },
  { prefix: [0, 0, 0, 0, 0xffff, 0], words: 6 },
  { prefix: [0x64, 0xff9b, 0, 0, 0, 0], words: 6 },
];

/**
 * Whether `address` (an IPv4 or IPv6 literal, without brackets) is a public unicast address: not
 * loopback, private, link-local, unspecified, multicast, documentation, benchmarking, CGNAT or
 * otherwise reserved. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64) are judged
 * by that IPv4 address. Anything that is not an IP literal is not public.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const words = ipv6Words(address);
  if (!words) return false;
  for (const { prefix, words: length } of EMBEDDING_V4) {
    if (prefix.every((word, i) => words[i] === word) && words.slice(prefix.length, length).every((word) => word === 0)) {
      const v4 = `${words[6] >> 8}.${words[6] & 0xff}.${words[7] >> 8}.${words[7] & 0xff}`;
      // `::` and `::1` are IPv4-compatible in form but are the unspecified and loopback addresses.
      return !blocked.check(address, 'ipv6') && isPublicAddress(v4);
    }
  }
  return !blocked.check(address, 'ipv6');
}

/** The eight 16-bit words of an IPv6 literal (zone and embedded dotted IPv4 allowed), or undefined. */
function ipv6Words(address: string): number[] | undefined {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((octets[0] << 8) | octets[1]).toString(16)}:${((octets[2] << 8) | octets[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((word) => parseInt(word, 16)) : []);
  const first = parse(head);
  const last = parse(tail);
  const words = tail === undefined ? first : [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
  return words.length === 8 && words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffff) ? words : undefined;
}

/**
 * Host names that name this machine or its local network whatever DNS says: `localhost` and
 * `*.localhost` (RFC 6761), and the mDNS `.local` domain.
 */
export function isLocalHostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name.endsWith('.local');
}

/** The host of a URL's `hostname` as an IP literal (brackets of IPv6 removed), or undefined for a name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

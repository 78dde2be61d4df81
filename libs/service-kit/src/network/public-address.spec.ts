import { isPublicAddress } from './public-address.js';
import { addressesProblem, urlTargetProblem } from './outbound-target.js';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.255.255.254', 'the rest of 127/8'],
    ['10.1.2.3', 'RFC 1918 10/8'],
    ['172.16.0.1', 'RFC 1918 172.16/12'],
    ['172.31.255.255', 'the end of 172.16/12'],
    ['192.168.1.1', 'RFC 1918 192.168/16'],
    ['169.254.169.254', 'the link-local metadata service'],
    ['0.0.0.0', 'unspecified IPv4'],
    ['100.64.0.1', 'CGNAT 100.64/10'],
    ['198.18.0.1', 'benchmarking 198.18/15'],
    ['192.0.2.10', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'unspecified IPv6'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fdff:ffff::1', 'unique local fd00::/8'],
    ['fe80::1', 'link-local IPv6'],
    ['fe80::1%eth0', 'link-local IPv6 with a zone'],
    ['ff02::1', 'multicast IPv6'],
    ['2001:db8::1', 'documentation IPv6'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback (dotted)'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback (hex)'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata service'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::ffff:0:10.0.0.1', 'IPv4-translated private'],
    ['64:ff9b::10.0.0.1', 'NAT64 well-known prefix with a private IPv4'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4'],
    ['not-an-address', 'a name'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([['93.184.215.14'], ['8.8.8.8'], ['172.32.0.1'], ['100.128.0.1'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8'], ['64:ff9b::8.8.8.8']])(
    'accepts the public %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('urlTargetProblem', () => {
  it.each([
    ['http://127.0.0.1:3001/hooks'],
    ['http://[::1]/hooks'],
    ['http://[::ffff:127.0.0.1]/hooks'],
    ['http://169.254.169.254/latest/meta-data'],
    ['http://2130706433/'],
    ['http://0x7f.1/'],
    ['http://0177.0.0.1/'],
    ['http://localhost:8080/'],
    ['http://LOCALHOST./'],
    ['http://api.localhost/'],
    ['https://user:pass@shop.example.org/hooks'],
    ['ftp://shop.example.org/hooks'],
  ])('refuses %s', (url) => {
    expect(urlTargetProblem(url)).toEqual(expect.any(String));
  });

  it.each([['https://shop.example.org/hooks'], ['http://rabbitmq:15672/'], ['https://93.184.215.14/hooks'], ['https://[2606:4700:4700::1111]/']])(
    'leaves %s to resolution',
    (url) => {
      expect(urlTargetProblem(url)).toBeUndefined();
    },
  );
});

describe('addressesProblem', () => {
  it('refuses a name when any of its addresses is not public', () => {
    expect(
      addressesProblem('mixed.example', [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ]),
    ).toBe('mixed.example resolves to 10.0.0.5, which is not a public address');
    expect(addressesProblem('public.example', [{ address: '93.184.215.14', family: 4 }])).toBeUndefined();
  });
});

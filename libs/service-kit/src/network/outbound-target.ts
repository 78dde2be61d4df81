import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ipLiteralOf, isLocalHostName, isPublicAddress } from './public-address.js';

/** A URL or a resolved address that outbound requests to third parties may not reach. */
export class ForbiddenTargetError extends Error {
  /** The stable code webhooks report it with. */
  readonly code = 'WEBHOOK_URL_FORBIDDEN';

  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenTargetError';
  }
}

/** `dns.lookup` with `all: true`, or a stand-in with the same contract (tests resolve names of their own). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver (`getaddrinfo`, as a connection would use it): every address of a name. */
export const systemResolveAll: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * What can be told of a URL without resolving it: why it may not be a target (not http or https,
 * credentials in it, an IP literal that is not public, `localhost`), or undefined. Numeric forms
 * (`http://2130706433/`, `http://0x7f.1/`) are normalised by the URL parser to the dotted address
 * first, so they are judged as that address.
 */
export function urlTargetProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https URLs are allowed';
  if (parsed.username || parsed.password) return 'credentials in the URL are not allowed';
  const literal = ipLiteralOf(parsed.hostname);
  if (literal !== undefined) return isPublicAddress(literal) ? undefined : `${literal} is not a public address`;
  if (isLocalHostName(parsed.hostname)) return `${parsed.hostname} names a local host`;
  return undefined;
}

/** Why these resolved addresses of `hostname` may not be connected to (one non-public is enough), or undefined. */
export function addressesProblem(hostname: string, addresses: LookupAddress[]): string | undefined {
  const forbidden = addresses.find(({ address }) => !isPublicAddress(address));
  return forbidden ? `${hostname} resolves to ${forbidden.address}, which is not a public address` : undefined;
}

/**
 * A `lookup` for `net.connect`/`tls.connect` (and undici's `connect` options) that resolves the
 * name once, refuses it with ForbiddenTargetError when any address is not public, and hands the
 * connection exactly the addresses it checked: a DNS answer that changes between the check and the
 * connect (rebinding) cannot slip through. TLS SNI and the Host header keep the name.
 * `allowNonPublic` resolves the same way without refusing (local development and tests).
 */
export function publicOnlyLookup(resolveAll: ResolveAll = systemResolveAll, options: { allowNonPublic?: boolean } = {}): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        const problem = options.allowNonPublic ? undefined : addressesProblem(hostname, addresses);
        if (problem) return callback(new ForbiddenTargetError(problem), '', 0);
        const family = lookupOptions.family;
        const wanted = family === 4 || family === 6 ? addresses.filter((address) => address.family === family) : addresses;
        if (wanted.length === 0) {
          return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
        }
        // Node asks for every address when it may try them in turn (autoSelectFamily), else for one.
        if (lookupOptions.all) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

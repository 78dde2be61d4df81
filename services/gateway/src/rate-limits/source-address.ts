import type { Request } from 'express';

/**
 * The address a request came from, as failed authentications are counted by: the socket's peer
 * (Express's `req.ip`: the socket's peer, or the client a trusted proxy names in X-Forwarded-For when
 * TRUST_PROXY is set).
 * An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`) counts as the IPv4 one.
 */
export function sourceAddress(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

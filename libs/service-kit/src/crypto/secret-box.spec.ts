import { randomBytes } from 'node:crypto';
import { openSecret, parseSecretKey, sealSecret } from './secret-box.js';

describe('secret box (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('seals without the plaintext in it, and opens with the same key and context', () => {
    const sealed = sealSecret(key, 'whsec_c2VjcmV0', 'sub-1');

    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('c2VjcmV0');
    expect(sealSecret(key, 'whsec_c2VjcmV0', 'sub-1')).not.toBe(sealed);
    expect(openSecret(key, sealed, 'sub-1')).toBe('whsec_c2VjcmV0');
  });

  it('does not open with another key, another context, or altered', () => {
    const sealed = sealSecret(key, 'whsec_c2VjcmV0', 'sub-1');
    const [version, iv, ciphertext, tag] = sealed.split('.');
    const altered = [version, iv, Buffer.from('x' + ciphertext).toString('base64url'), tag].join('.');

    expect(() => openSecret(randomBytes(32), sealed, 'sub-1')).toThrow(/does not open/);
    expect(() => openSecret(key, sealed, 'sub-2')).toThrow(/does not open/);
    expect(() => openSecret(key, altered, 'sub-1')).toThrow(/does not open/);
    expect(() => openSecret(key, 'whsec_c2VjcmV0', 'sub-1')).toThrow(/not a sealed secret/);
  });

  it('takes only 32 bytes of base64 as a key', () => {
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(/32 random bytes/);
    expect(() => parseSecretKey('not base64 at all!')).toThrow(/32 random bytes/);
  });
});

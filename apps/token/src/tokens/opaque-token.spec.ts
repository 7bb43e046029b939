import { createHash } from 'node:crypto';
import { generateOpaqueToken, tokenHandle } from './opaque-token';

describe('opaque tokens (DESIGN §5)', () => {
  it('are a recognisable prefix + 43 base64url characters of fresh randomness', () => {
    const at = generateOpaqueToken('access');
    const rt = generateOpaqueToken('refresh');
    expect(at).toMatch(/^tsr_at_[A-Za-z0-9_-]{43}$/);
    expect(rt).toMatch(/^tsr_rt_[A-Za-z0-9_-]{43}$/);
    expect(generateOpaqueToken('access')).not.toBe(at);
  });

  it('are named by base64url(SHA-256(value)), never by the value', () => {
    const value = generateOpaqueToken('access');
    const handle = tokenHandle(value);
    expect(handle).toBe(createHash('sha256').update(value).digest('base64url'));
    expect(handle).toHaveLength(43);
    expect(handle).not.toContain(value.slice(7));
  });
});

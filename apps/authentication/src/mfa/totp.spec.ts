import { foldMfa, MfaEvents } from './mfa.events';
import { generateTotpSecret, totpCodeAt, totpUri, verifyTotp } from './totp';

const T0 = new Date('2026-11-29T10:00:15.000Z'); // inside time step 59_343_360
const STEP = Math.floor(T0.getTime() / 1000 / 30);
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('TOTP (RFC 6238)', () => {
  const secret = generateTotpSecret();

  it('makes 160-bit base32 seeds and an otpauth URI with issuer and label', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = totpUri('id.example', 'alice', secret);
    expect(uri).toMatch(/^otpauth:\/\/totp\/id\.example:alice\?/);
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
    expect(new URL(uri).searchParams.get('issuer')).toBe('id.example');
  });

  it('accepts the current code and returns its time step', () => {
    expect(verifyTotp(secret, totpCodeAt(secret, T0), T0, -1)).toBe(STEP);
  });

  it('accepts one step of drift either way, not two', () => {
    expect(verifyTotp(secret, totpCodeAt(secret, at(-30)), T0, -1)).toBe(STEP - 1);
    expect(verifyTotp(secret, totpCodeAt(secret, at(30)), T0, -1)).toBe(STEP + 1);
    expect(verifyTotp(secret, totpCodeAt(secret, at(-60)), T0, -1)).toBeNull();
    expect(verifyTotp(secret, totpCodeAt(secret, at(60)), T0, -1)).toBeNull();
  });

  it('never accepts a code of an already accepted (or older) time step', () => {
    const code = totpCodeAt(secret, T0);
    expect(verifyTotp(secret, code, T0, STEP)).toBeNull();
    expect(verifyTotp(secret, totpCodeAt(secret, at(-30)), T0, STEP)).toBeNull();
    expect(verifyTotp(secret, totpCodeAt(secret, at(30)), at(30), STEP)).toBe(STEP + 1);
  });

  it('refuses malformed codes and another seed', () => {
    expect(verifyTotp(secret, '12345', T0, -1)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', T0, -1)).toBeNull();
    expect(verifyTotp(generateTotpSecret(), totpCodeAt(secret, T0), T0, -1)).toBeNull();
  });
});

describe('foldMfa', () => {
  it('tracks enrollment, the last accepted step and unused recovery codes', () => {
    const state = foldMfa([
      { type: MfaEvents.totpEnrolled, data: { userId: 'u' } },
      { type: MfaEvents.totpAccepted, data: { userId: 'u', timeStep: 10 } },
      { type: MfaEvents.recoveryCodesGenerated, data: { userId: 'u', codeIds: ['a', 'b'] } },
      { type: MfaEvents.totpAccepted, data: { userId: 'u', timeStep: 12 } },
      { type: MfaEvents.recoveryCodeUsed, data: { userId: 'u', codeId: 'a' } },
    ]);
    expect(state).toEqual({ totpEnrolled: true, lastTimeStep: 12, recoveryCodeIds: ['b'], version: 5 });
  });
});

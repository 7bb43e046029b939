import { REVOCATION_EVENT_TYPE } from '@tessera/contracts';
import type { CloudEvent } from '@tessera/messaging';
import { revokedHandles } from './revocation.listener';

const msg = (data: unknown, type: string = REVOCATION_EVENT_TYPE): CloudEvent => ({
  specversion: '1.0',
  id: 'i',
  source: 'urn:tessera:token',
  type,
  time: '2030-01-01T00:00:00Z',
  datacontenttype: 'application/json',
  data,
});

describe('revokedHandles (iam.revocations, DESIGN §3)', () => {
  it('reads the string handles of a tessera.revocation.v1 message', () => {
    expect(revokedHandles(msg({ handles: ['a', 2, 'b'], sub: 's' }))).toEqual(['a', 'b']);
  });

  it('ignores a message without a handle list', () => {
    expect(revokedHandles(msg({}))).toEqual([]);
    expect(revokedHandles(msg({ handles: 'a' }))).toEqual([]);
    expect(revokedHandles(msg(undefined))).toEqual([]);
    expect(revokedHandles(msg(null))).toEqual([]);
  });

  it('ignores a message of any other type, even with handles', () => {
    expect(revokedHandles(msg({ handles: ['a'] }, 'tessera.revocation.v2'))).toEqual([]);
    expect(revokedHandles(msg({ handles: ['a'] }, 'access-token.revoked'))).toEqual([]);
  });
});

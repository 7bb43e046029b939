import { isResourceIdentifier } from './resource-indicator';

describe('isResourceIdentifier (RFC 8707 §2)', () => {
  it('accepts absolute URIs', () => {
    expect(isResourceIdentifier('https://api.example/orders')).toBe(true);
    expect(isResourceIdentifier('urn:example:billing')).toBe(true);
  });

  it('refuses relative references and fragments', () => {
    expect(isResourceIdentifier('/orders')).toBe(false);
    expect(isResourceIdentifier('orders')).toBe(false);
    expect(isResourceIdentifier('https://api.example/orders#x')).toBe(false);
  });
});

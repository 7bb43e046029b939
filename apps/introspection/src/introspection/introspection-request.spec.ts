import { InvalidRequestError } from '@tessera/oauth';
import { parseIntrospectionForm, requiredToken } from './introspection-request';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('introspection request (RFC 7662 §2.1)', () => {
  it('takes a form with token; token_type_hint is accepted and left alone', () => {
    const form = parseIntrospectionForm(FORM, { token: 't', token_type_hint: 'refresh_token' });
    expect(requiredToken(form)).toBe('t');
  });

  it('refuses anything but a form, a repeated parameter and a missing token with invalid_request', () => {
    expect(() => parseIntrospectionForm({ 'content-type': 'application/json' }, { token: 't' })).toThrow(
      InvalidRequestError,
    );
    expect(() => parseIntrospectionForm({}, undefined)).toThrow(InvalidRequestError);
    expect(() => parseIntrospectionForm(FORM, { token: ['a', 'b'] })).toThrow(InvalidRequestError);
    expect(() => requiredToken(parseIntrospectionForm(FORM, {}))).toThrow(InvalidRequestError);
    expect(() => requiredToken(parseIntrospectionForm(FORM, { token: '' }))).toThrow(InvalidRequestError);
  });
});

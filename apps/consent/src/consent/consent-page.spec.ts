import { renderConsentsPage } from '../consents/consents-page';
import { csrfToken, csrfValid } from '../pages/csrf';
import { escapeHtml } from '../pages/html';
import { renderConsentPage } from './consent-page';

const evil = '<script>alert("x")</script>';

describe('consent page', () => {
  const body = renderConsentPage({
    requestId: 'req"><b>',
    csrf: 'tok',
    clientId: 'app',
    clientName: evil,
    scopes: [
      { name: 'openid', description: 'Sign you in', claims: ['sub'] },
      { name: 'orders_read', description: `Read <i>orders</i>`, claims: ['account_nr', '"><img src=x>'] },
    ],
    granted: ['openid'],
  });

  it('names the client and each scope with its description and claims, escaped', () => {
    expect(body).toContain(escapeHtml(evil));
    expect(body).not.toContain('<script>');
    expect(body).toContain('Read &lt;i&gt;orders&lt;/i&gt;');
    expect(body).toContain('account_nr, &quot;&gt;&lt;img src=x&gt;');
    expect(body).not.toContain('<img');
    expect(body).toContain('value="req&quot;&gt;&lt;b&gt;"');
  });

  it('has a form with the CSRF token, a checkbox per scope (openid fixed) and allow/deny', () => {
    expect(body).toContain('<form method="post" action="/consent">');
    expect(body).toContain('name="csrf" value="tok"');
    expect(body).toMatch(/id="scope-openid" name="scope" value="openid" checked disabled/);
    expect(body).toMatch(/<input type="hidden" name="scope" value="openid" ?\/?>/);
    expect(body).toMatch(/id="scope-orders_read" name="scope" value="orders_read" checked ?\/?>/);
    expect(body).toContain('<label for="scope-orders_read">');
    expect(body).toContain('value="allow"');
    expect(body).toContain('value="deny"');
  });

  it('shows scopes already granted as fixed (withdrawn at /consents only)', () => {
    const again = renderConsentPage({
      requestId: 'r',
      csrf: 't',
      clientId: 'app',
      scopes: [{ name: 'email', description: 'Your email address', claims: ['email'] }],
      granted: ['email'],
    });
    expect(again).toMatch(/id="scope-email" name="scope" value="email" checked disabled/);
    expect(again).toMatch(/<input type="hidden" name="scope" value="email" ?\/?>/);
    expect(again).toContain('(already allowed)');
  });

  it('falls back to the client id without a client_name', () => {
    const plain = renderConsentPage({ requestId: 'r', csrf: 't', clientId: 'app-1', scopes: [], granted: [] });
    expect(plain).toContain('<title>Allow app-1?</title>');
  });

  it('lists consents with escaped names and a revoke form each', () => {
    const list = renderConsentsPage([
      { consentId: 'k.1', clientId: 'app', clientName: evil, scopes: ['openid'], grantedAt: 'x', csrf: 'c' },
    ]);
    expect(list).not.toContain('<script>');
    expect(list).toContain('action="/consents/k.1/revoke"');
    expect(list).toContain('name="csrf" value="c"');
    expect(renderConsentsPage([])).toContain('You have not allowed any application');
  });
});

describe('CSRF tokens', () => {
  const session = 'tsr_ses_' + 'a'.repeat(43);

  it('accepts the token of this session and subject only', () => {
    const token = csrfToken(session, 'consent', 'req-1');
    expect(csrfValid(session, 'consent', 'req-1', token)).toBe(true);
    expect(csrfValid(session, 'consent', 'req-2', token)).toBe(false);
    expect(csrfValid(session, 'revoke-consent', 'req-1', token)).toBe(false);
    expect(csrfValid('tsr_ses_' + 'b'.repeat(43), 'consent', 'req-1', token)).toBe(false);
    expect(csrfValid(session, 'consent', 'req-1', undefined)).toBe(false);
    expect(csrfValid(session, 'consent', 'req-1', token.slice(1))).toBe(false);
  });
});

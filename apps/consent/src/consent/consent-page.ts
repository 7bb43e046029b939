import { html, page } from '../pages/html';
import type { ScopeDescription } from './scope-descriptions';

/** What the consent page shows. */
export interface ConsentPageModel {
  requestId: string;
  csrf: string;
  clientId: string;
  /** `client_name` from the registration (RFC 7591 §2), when it has one. */
  clientName?: string;
  /** The requested scopes, described. */
  scopes: readonly ScopeDescription[];
  /** Scopes the user already granted this client. */
  granted: readonly string[];
}

/**
 * The consent page (issue 5 §8): names the client and, for each requested
 * scope, its description and the claims it would release; the user ticks all
 * or some (`openid` is always part of a sign-in) and allows or denies.
 * Everything from the log or the client's registration is escaped.
 */
export function renderConsentPage(m: ConsentPageModel): string {
  const name = m.clientName ?? m.clientId;
  const items = m.scopes.map((s) => {
    const id = `scope-${s.name}`;
    // openid is what signing in is; a scope already granted is withdrawn at /consents, not here.
    const fixed = s.name === 'openid' || m.granted.includes(s.name);
    const claims = s.claims.length > 0 ? html`<br /><small>Shares: ${s.claims.join(', ')}</small>` : '';
    const already = m.granted.includes(s.name) ? html` <small>(already allowed)</small>` : '';
    return html`<li>
      <input type="checkbox" id="${id}" name="scope" value="${s.name}" checked${fixed ? html` disabled` : ''} />
      ${fixed ? html`<input type="hidden" name="scope" value="${s.name}" />` : ''}
      <label for="${id}"><strong>${s.name}</strong>: ${s.description}</label>${already}${claims}
    </li>`;
  });
  return page(
    `Allow ${name}?`,
    html`<h1><span class="client">${name}</span> wants to access your account</h1>
      <form method="post" action="/consent">
        <input type="hidden" name="request" value="${m.requestId}" />
        <input type="hidden" name="csrf" value="${m.csrf}" />
        <fieldset>
          <legend>Choose what to allow</legend>
          <ul>
            ${items}
          </ul>
        </fieldset>
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny">Deny</button>
      </form>`,
  );
}

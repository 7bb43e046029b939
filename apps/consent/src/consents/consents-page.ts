import { html, page } from '../pages/html';

/** One consent as `/consents` lists it. */
export interface ConsentListItem {
  consentId: string;
  clientId: string;
  clientName?: string;
  scopes: string[];
  grantedAt: string;
}

/** `/consents` as HTML: each consent with a revoke form carrying its own CSRF token. */
export function renderConsentsPage(items: readonly (ConsentListItem & { csrf: string })[]): string {
  const rows = items.map(
    (c) =>
      html`<tr>
        <td>${c.clientName ?? c.clientId}</td>
        <td>${c.scopes.join(' ')}</td>
        <td><time>${c.grantedAt}</time></td>
        <td>
          <form method="post" action="/consents/${encodeURIComponent(c.consentId)}/revoke">
            <input type="hidden" name="csrf" value="${c.csrf}" /><button type="submit">Revoke</button>
          </form>
        </td>
      </tr>`,
  );
  const body =
    items.length === 0
      ? html`<h1>Your consents</h1>
          <p>You have not allowed any application to access your account.</p>`
      : html`<h1>Your consents</h1>
          <table>
            <thead>
              <tr>
                <th>Application</th>
                <th>Scopes</th>
                <th>Allowed</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`;
  return page('Your consents', body);
}

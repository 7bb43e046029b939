import { escapeHtml, renderPage } from './html-page';

/** Hidden fields that carry the flow through a form (request id or local `next`, CSRF token). */
export interface FlowFields {
  csrf: string;
  request?: string;
  next?: string;
}

function hidden(f: FlowFields): string {
  const fields: [string, string | undefined][] = [
    ['csrf', f.csrf],
    ['request', f.request],
    ['next', f.next],
  ];
  return fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v!)}">`)
    .join('');
}

function alert(message: string | undefined): string {
  return message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';
}

/** Brief 5 "Pages": the password form (labels, `autocomplete` username/current-password). */
export function passwordPage(flow: FlowFields, error?: string, clientName?: string): string {
  const to = clientName ? `<p>to continue to <strong>${escapeHtml(clientName)}</strong></p>` : '';
  return renderPage(
    'Sign in',
    `${to}${alert(error)}<form method="post" action="/login">${hidden(flow)}
<label for="username">User name</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
  );
}

/** The second step: a TOTP code (`autocomplete=one-time-code`) or a recovery code. */
export function totpPage(flow: FlowFields, error?: string): string {
  return renderPage(
    'Two-step verification',
    `${alert(error)}<form method="post" action="/login/totp">${hidden(flow)}
<label for="code">Code from your authenticator app</label>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" autofocus>
<button type="submit">Verify</button></form>
<form method="post" action="/login/totp">${hidden(flow)}
<label for="recovery_code">Or a recovery code</label>
<input id="recovery_code" name="recovery_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false">
<button type="submit">Use recovery code</button></form>`,
  );
}

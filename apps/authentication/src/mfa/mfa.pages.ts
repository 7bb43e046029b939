import { escapeHtml, renderPage } from '../login/html-page';

/** The enrollment page: the otpauth URI, its QR code and the confirmation form. */
export function enrollmentPage(csrf: string, uri: string, qrDataUrl: string, secret: string, error?: string): string {
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return renderPage(
    'Set up two-step verification',
    `${alert}<p>Scan this QR code with your authenticator app, or enter the key by hand.</p>
<img src="${escapeHtml(qrDataUrl)}" alt="QR code of the otpauth URI" width="200" height="200">
<p>Key: <code>${escapeHtml(secret)}</code></p>
<p><a href="${escapeHtml(uri)}">${escapeHtml(uri)}</a></p>
<form method="post" action="/account/mfa/totp"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="code">Code from your authenticator app</label>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<button type="submit">Turn on</button></form>`,
  );
}

/** Shown once after enrollment: the recovery codes (only their hashes are kept). */
export function recoveryCodesPage(codes: readonly string[]): string {
  return renderPage(
    'Two-step verification is on',
    `<p>Keep these recovery codes somewhere safe. Each works once; they will not be shown again.</p>
<ul>${codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>
<p><a href="/account/mfa">Done</a></p>`,
  );
}

/** The account page once TOTP is on. */
export function enrolledPage(recoveryCodesLeft: number): string {
  return renderPage(
    'Two-step verification',
    `<p>Two-step verification with an authenticator app is on.</p><p>Recovery codes left: ${recoveryCodesLeft}</p>`,
  );
}

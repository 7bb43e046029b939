// Moved to @tessera/clients (issue 4 §1); re-exported for the grants and revocation imports.
export { ClientAuthenticator } from '@tessera/clients';

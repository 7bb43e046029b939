// Moved to @tessera/clients (issue 4 §1); re-exported for the discovery import.
export { CLIENT_ASSERTION_ALGORITHMS } from '@tessera/clients';

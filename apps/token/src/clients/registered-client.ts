// Moved to @tessera/clients (issue 4 §1: the introspection service authenticates clients too); this
// re-export keeps the grants' and tokens' imports working until their owners switch to the lib.
export { type RegisteredClient, toRegisteredClient } from '@tessera/clients';

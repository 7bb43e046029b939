#!/usr/bin/env node
// The reference server of bench/token.bench.mjs: oidc-provider with its default
// in-memory adapter, one client_credentials client, the same scope as Tessera's
// bench client, opaque access tokens. Runs in its own process so that it does
// not share an event loop with autocannon. Prints one JSON line when listening.
// Usage: node bench/token/oidc-provider.server.mjs <port> <client_id> <client_secret> <scope>
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, scope] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope,
    },
  ],
  scopes: [scope],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true }, // to check a sample token after the run
    devInteractions: { enabled: false },
  },
  // Same lifetime as Tessera's access tokens (apps/token/src/tokens/token-lifetimes.ts).
  // Without resource indicators, client credentials tokens are opaque, like Tessera's reference format.
  ttl: { ClientCredentials: 900 },
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

provider.listen(Number(port), '127.0.0.1', () => console.log(JSON.stringify({ listening: issuer })));
process.on('SIGTERM', () => process.exit(0));

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type AccessTokenVerifier,
  authorizeRequest,
  bearerChallenge,
  InsufficientScopeError,
} from '@tessera/resource-server';
import { assertActor } from './invoices/delegation.check';
import { invoicesOf } from './invoices/invoice.repository';

/** What one request to the billing API looked like: facts about the token, never its value. */
export interface BillingAccessLog {
  path: string;
  status: number;
  sub?: string;
  clientId?: string;
  scope?: string;
  actor?: string;
}

/** The billing API's dependencies. */
export interface BillingServerDeps {
  verifier: AccessTokenVerifier;
  trustedActor: string;
  log: (entry: BillingAccessLog) => void;
}

const REQUIRED = { scopes: ['billing_read'], claims: ['account_nr'] };

/** `GET /billing/invoices?account=`: the account's invoices, for exchanged tokens from the orders API only. */
export function createBillingServer(deps: BillingServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });
}

async function handle(deps: BillingServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://billing');
  if (req.method !== 'GET' || url.pathname !== '/billing/invoices') return send(res, 404, { error: 'not_found' });
  // RFC 6750: 401 for a missing/invalid token (wrong `aud`, expired, revoked…), 403 for missing scope or claim.
  const result = await authorizeRequest(deps.verifier, req.headers.authorization, REQUIRED, 'billing');
  if (!result.ok) {
    deps.log({ path: url.pathname, status: result.challenge.status });
    return send(res, result.challenge.status, result.challenge.body, result.challenge.wwwAuthenticate);
  }
  const { principal } = result;
  const seen = {
    path: url.pathname,
    sub: principal.sub,
    clientId: principal.clientId,
    scope: principal.scopes.join(' '),
    ...(principal.actorChain[0]?.sub ? { actor: principal.actorChain[0].sub } : {}),
  };
  try {
    assertActor(principal, deps.trustedActor);
  } catch (err) {
    if (!(err instanceof InsufficientScopeError)) throw err;
    const challenge = bearerChallenge(err, 'billing');
    deps.log({ ...seen, status: challenge.status });
    return send(res, challenge.status, challenge.body, challenge.wwwAuthenticate);
  }
  // The account comes from the verified token; the query parameter may only repeat it.
  const account = url.searchParams.get('account');
  if (account === null || account !== principal.claims.account_nr) {
    deps.log({ ...seen, status: 403 });
    return send(res, 403, { error: 'forbidden', error_description: 'not the account of the token' });
  }
  deps.log({ ...seen, status: 200 });
  send(res, 200, { account, invoices: invoicesOf(account) });
}

function send(res: ServerResponse, status: number, body: object, wwwAuthenticate?: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...(wwwAuthenticate ? { 'www-authenticate': wwwAuthenticate } : {}),
  });
  res.end(JSON.stringify(body));
}

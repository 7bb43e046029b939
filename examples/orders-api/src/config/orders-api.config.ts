/** The orders API's settings, read once from the environment (STYLE §9). */
export interface OrdersApiConfig {
  port: number;
  /** The Tessera issuer (the public base URL, e.g. the nginx gateway's). */
  issuer: string;
  /** This API's audience: the one nginx sets for /api/orders/ (`X-Tessera-Audience`). */
  audience: string;
  jwksUri: string;
  tokenEndpoint: string;
  /** The orders API's own client, allowed to exchange tokens for the billing audience. */
  clientId: string;
  clientSecret: string;
  /** The billing API's base URL, e.g. `http://127.0.0.1:9102`. */
  billingUrl: string;
}

/** Validates the environment into the config; a missing variable stops the start with its name. */
export function loadOrdersApiConfig(env: NodeJS.ProcessEnv = process.env): OrdersApiConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`orders-api: ${name} is required`);
    return value;
  };
  const issuer = required('TESSERA_ISSUER').replace(/\/$/, '');
  return {
    port: Number(env.PORT ?? 9101),
    issuer,
    audience: required('ORDERS_API_AUDIENCE'),
    jwksUri: env.TESSERA_JWKS_URI ?? `${issuer}/jwks`,
    tokenEndpoint: env.TESSERA_TOKEN_ENDPOINT ?? `${issuer}/oauth/token`,
    clientId: required('ORDERS_API_CLIENT_ID'),
    clientSecret: required('ORDERS_API_CLIENT_SECRET'),
    billingUrl: required('BILLING_API_URL').replace(/\/$/, ''),
  };
}

/** The billing API's settings, read once from the environment (STYLE §9). */
export interface BillingApiConfig {
  port: number;
  issuer: string;
  /** This API's audience, the one exchanged tokens are narrowed to (default `billing`). */
  audience: string;
  jwksUri: string;
  /** The only actor allowed to call: the orders API's client id (RFC 8693 §4.1 `act.sub`). */
  trustedActor: string;
  /** Kafka brokers for `iam.revocations`; empty: no revocation subscription. */
  kafkaBrokers: string[];
  /** The full revocations topic name (default `iam.revocations`). */
  revocationsTopic: string;
}

/** Validates the environment into the config; a missing variable stops the start with its name. */
export function loadBillingApiConfig(env: NodeJS.ProcessEnv = process.env): BillingApiConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`billing-api: ${name} is required`);
    return value;
  };
  const issuer = required('TESSERA_ISSUER').replace(/\/$/, '');
  return {
    port: Number(env.PORT ?? 9102),
    issuer,
    audience: env.BILLING_API_AUDIENCE ?? 'billing',
    jwksUri: env.TESSERA_JWKS_URI ?? `${issuer}/jwks`,
    trustedActor: required('ORDERS_API_CLIENT_ID'),
    kafkaBrokers: (env.KAFKA_BROKERS ?? '').split(',').filter((b) => b !== ''),
    revocationsTopic: env.TESSERA_REVOCATIONS_TOPIC ?? 'iam.revocations',
  };
}

import { Inject, Injectable } from '@nestjs/common';
import { TokenExchangeClient } from '@tessera/resource-server';
import { ORDERS_API_CONFIG } from '../orders-api.tokens';
import type { OrdersApiConfig } from '../config/orders-api.config';

/** An invoice as the billing API returns it. */
export interface Invoice {
  id: string;
  orderId: string;
  status: string;
}

/** The billing API could not be called or refused the call. */
export class BillingUnavailableError extends Error {}

/** The downstream audience and the one scope the orders API needs there (RFC 8693 §2.1). */
export const BILLING_AUDIENCE = 'billing';
export const BILLING_SCOPE = 'billing_read';

/**
 * Calls the billing API on the caller's behalf with a token exchanged down to
 * `billing_read` for audience `billing` (DESIGN §5): never the token the
 * orders API received, which billing refuses.
 */
@Injectable()
export class BillingClient {
  private readonly exchange: TokenExchangeClient;

  constructor(@Inject(ORDERS_API_CONFIG) private readonly config: OrdersApiConfig) {
    this.exchange = new TokenExchangeClient({
      tokenEndpoint: config.tokenEndpoint,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    });
  }

  /** The account's invoices, as billing tells them to the holder of `incomingToken`. */
  async invoices(incomingToken: string, accountNr: string): Promise<Invoice[]> {
    const token = await this.exchange.accessTokenFor(incomingToken, {
      audience: BILLING_AUDIENCE,
      scope: BILLING_SCOPE,
    });
    const url = `${this.config.billingUrl}/billing/invoices?account=${encodeURIComponent(accountNr)}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new BillingUnavailableError(`billing answered ${res.status}`);
    return ((await res.json()) as { invoices: Invoice[] }).invoices;
  }
}

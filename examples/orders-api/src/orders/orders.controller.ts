import { BadGatewayException, Controller, Get, Headers } from '@nestjs/common';
import { extractBearerToken, Principal, RequireClaims, RequireScopes } from '@tessera/resource-server';
import { BillingClient, BillingUnavailableError } from './billing.client';
import { OrderRepository } from './order.repository';

/** `GET /orders` (public path `/api/orders/orders` behind nginx): the caller's account's orders with invoices. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrderRepository,
    private readonly billing: BillingClient,
  ) {}

  @Get()
  @RequireScopes('orders_read')
  @RequireClaims('account_nr')
  async list(@Principal() principal: Principal, @Headers('authorization') authorization: string) {
    const accountNr = String(principal.claims.account_nr);
    // The guard verified this very header: the phantom JWT the gateway forwarded is the subject token.
    const incoming = extractBearerToken(authorization)!;
    try {
      const invoices = await this.billing.invoices(incoming, accountNr);
      const orders = this.orders
        .forAccount(accountNr)
        .map((order) => ({ ...order, invoices: invoices.filter((i) => i.orderId === order.id) }));
      return { account: accountNr, orders };
    } catch (err) {
      if (err instanceof BillingUnavailableError || (err as Error).name === 'TokenExchangeError') {
        throw new BadGatewayException('billing unavailable');
      }
      throw err;
    }
  }
}

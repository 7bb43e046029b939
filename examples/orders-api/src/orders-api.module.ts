import { type DynamicModule, Module } from '@nestjs/common';
import { ResourceServerModule } from '@tessera/resource-server';
import type { OrdersApiConfig } from './config/orders-api.config';
import { ORDERS_API_CONFIG } from './orders-api.tokens';
import { BillingClient } from './orders/billing.client';
import { OrderRepository } from './orders/order.repository';
import { OrdersController } from './orders/orders.controller';

/** The example orders API: verifies the gateway's phantom JWTs and calls billing with exchanged tokens. */
@Module({})
export class OrdersApiModule {
  /** The module for one config. */
  static forConfig(config: OrdersApiConfig): DynamicModule {
    return {
      module: OrdersApiModule,
      imports: [
        // Revocation: the gateway introspects every request, so a revoked client token never gets here.
        ResourceServerModule.forRoot({ issuer: config.issuer, audience: config.audience, jwksUri: config.jwksUri }),
      ],
      controllers: [OrdersController],
      providers: [{ provide: ORDERS_API_CONFIG, useValue: config }, OrderRepository, BillingClient],
    };
  }
}

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadOrdersApiConfig } from './config/orders-api.config';
import { OrdersApiModule } from './orders-api.module';

async function main(): Promise<void> {
  const config = loadOrdersApiConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    OrdersApiModule.forConfig(config),
    new FastifyAdapter(),
    {
      logger: ['error', 'warn'],
    },
  );
  app.enableShutdownHooks();
  await app.listen(config.port, '127.0.0.1');
  console.log(`orders-api listening on http://127.0.0.1:${config.port}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

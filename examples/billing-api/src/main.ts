import { AccessTokenVerifier, KafkaRevocationSubscriber, RevocationList } from '@tessera/resource-server';
import { createBillingServer } from './billing-server';
import { loadBillingApiConfig } from './config/billing-api.config';

async function main(): Promise<void> {
  const config = loadBillingApiConfig();
  const revocations = new RevocationList();
  // iam.revocations: an exchanged token is refused as soon as its ancestor is revoked (lineage, DESIGN §5).
  const subscriber =
    config.kafkaBrokers.length > 0
      ? new KafkaRevocationSubscriber(revocations, { brokers: config.kafkaBrokers, topic: config.revocationsTopic })
      : null;
  await subscriber?.start();
  const verifier = new AccessTokenVerifier(
    { issuer: config.issuer, audience: config.audience, jwksUri: config.jwksUri },
    { revocations },
  );
  const server = createBillingServer({
    verifier,
    trustedActor: config.trustedActor,
    log: (entry) => console.log(JSON.stringify({ msg: 'billing request', ...entry })),
  });
  server.listen(config.port, '127.0.0.1', () => {
    console.log(`billing-api listening on http://127.0.0.1:${config.port}`);
  });
  const stop = () => {
    server.close();
    void subscriber?.stop().finally(() => process.exit(0));
    if (!subscriber) process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

import { KafkaBus, topicNames, type CloudEvent } from '@tessera/messaging';
import { kafkaBrokers, uniqueSuffix } from '../../../test/support/infra';
import { AccountEvents, accountsProjection, accountStream } from '../test/accounts.projection';
import { AccountWorkload, pgEnv, settle, waitFor, type PgEnv } from '../test/projection-int-support';
import { ProjectionRunner } from './projection-runner';

jest.setTimeout(120_000);

// DESIGN §3: a poison event goes to the dead-letter topic on the real broker; the
// relay's identity-events topic wakes the runner.
describe('dead letters on Kafka', () => {
  let env: PgEnv;
  let bus: KafkaBus;
  beforeAll(async () => {
    env = await pgEnv();
    bus = new KafkaBus({ brokers: kafkaBrokers, clientId: `projections-test-${uniqueSuffix()}` });
  });
  afterAll(async () => {
    await bus.close();
    await env.close();
  });

  it('publishes the poison event with its error to the dead-letter topic and reports unhealthy', async () => {
    const prefix = `t${uniqueSuffix()}`;
    const topics = topicNames(prefix);
    await bus.ensureTopics([
      { name: topics.deadLetters, partitions: 1, retentionMs: 3_600_000 },
      { name: topics.identityEvents, partitions: 1, retentionMs: 3_600_000 },
    ]);
    const received: CloudEvent[] = [];
    const sub = await bus.subscribe(
      topics.deadLetters,
      { groupId: `${prefix}-dlq`, fromBeginning: true },
      async (m) => {
        received.push(m);
      },
    );
    const work = new AccountWorkload(env.store, 5);
    await work.open();
    await work.deposit(50);
    // A deposit to an account never opened: this projection's evolve throws on it.
    const { positions } = await env.store.append(accountStream('ghost'), 0, [
      { type: AccountEvents.deposited, data: { amount: 3 } },
    ]);
    const runner = new ProjectionRunner({
      db: env.db,
      store: env.store,
      projections: [accountsProjection({ schema: 'demo' })],
      bus,
      identityEventsTopic: topics.identityEvents,
      deadLetterTopic: topics.deadLetters,
      groupId: `${prefix}-projections`,
      pollIntervalMs: 100,
    });
    await settle(env);
    await runner.start();
    try {
      await waitFor(async () => received.length >= 1, 60_000, 100);
      expect(received[0]).toMatchObject({
        type: AccountEvents.deposited,
        subject: 'account-ghost',
        logposition: String(positions[0]),
        projection: 'demo.accounts',
        deadlettererror: 'Error: deposit to unknown account account-ghost',
      });
      const [status] = await runner.status();
      expect(status.healthy).toBe(false);
      expect(status.error).toContain('deposit to unknown account account-ghost');
    } finally {
      await runner.stop();
      await sub.stop();
    }
  });
});

import { PgDatabase } from './pg-database';
import { createTestDatabase } from '../../../test/support/infra';
import { describeEventStore } from '../../../test/support/event-store.behaviour';

// The event-store behaviour against the real PostgreSQL (DESIGN §2), in a fresh database.
describeEventStore(
  'PostgreSQL',
  async () => {
    const testDb = await createTestDatabase('tessera_es');
    // 8 writers, a reader and a held-open transaction at once.
    const db = new PgDatabase({ connectionString: testDb.url, max: 12, applicationName: 'event-store-int-spec' });
    return {
      db,
      close: async () => {
        await db.close();
        await testDb.drop();
      },
    };
  },
  { interleavedTransactions: true },
);

import { PgliteDatabase } from './pglite-database';
import { describeEventStore } from '../../../test/support/event-store.behaviour';

// The same behaviour on PGlite (standalone mode, issue 2 "Must hold"). One connection:
// the 8 writers are 8 concurrent async callers on it, and no transaction can be held
// open while others commit, so that case is exercised on PostgreSQL only.
describeEventStore(
  'PGlite',
  async () => {
    const db = await PgliteDatabase.open('memory');
    return { db, close: () => db.close() };
  },
  { interleavedTransactions: false },
);

import { Injectable } from '@nestjs/common';

/** One order of the sample data. */
export interface Order {
  id: string;
  accountNr: string;
  item: string;
  amount: number;
}

/** In-memory sample orders for two accounts; the API only ever reads one account's. */
export const SAMPLE_ORDERS: readonly Order[] = [
  { id: 'ord-1001', accountNr: 'acct-1001', item: 'Keyboard', amount: 89 },
  { id: 'ord-1002', accountNr: 'acct-1001', item: 'Monitor', amount: 249 },
  { id: 'ord-2001', accountNr: 'acct-2002', item: 'Desk lamp', amount: 35 },
];

/** The orders store of the example. */
@Injectable()
export class OrderRepository {
  /** The orders of one account (DESIGN §5: looked up by the token's `account_nr`, never by a parameter). */
  forAccount(accountNr: string): Order[] {
    return SAMPLE_ORDERS.filter((o) => o.accountNr === accountNr);
  }
}

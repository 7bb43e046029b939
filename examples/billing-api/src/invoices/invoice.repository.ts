/** One invoice of the sample data. */
export interface Invoice {
  id: string;
  orderId: string;
  accountNr: string;
  status: 'paid' | 'open';
}

/** In-memory sample invoices for the orders API's two sample accounts. */
export const SAMPLE_INVOICES: readonly Invoice[] = [
  { id: 'inv-5001', orderId: 'ord-1001', accountNr: 'acct-1001', status: 'paid' },
  { id: 'inv-5002', orderId: 'ord-1002', accountNr: 'acct-1001', status: 'open' },
  { id: 'inv-6001', orderId: 'ord-2001', accountNr: 'acct-2002', status: 'paid' },
];

/** The invoices of one account. */
export function invoicesOf(accountNr: string): Invoice[] {
  return SAMPLE_INVOICES.filter((i) => i.accountNr === accountNr);
}

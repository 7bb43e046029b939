import { InvalidClientError } from '@tessera/oauth';

/** A registered confidential client as the int-specs hold it. */
export interface TestClient {
  id: string;
  secret: string;
}

/** RFC 6749 §2.3.1 client_secret_basic: id and secret form-encoded, then Base64. */
export function basic(client: TestClient): { authorization: string } {
  const pair = `${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`;
  return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** The InvalidClientError (401 `invalid_client`) that `p` must reject with; anything else fails the test. */
export async function invalidClient(p: Promise<unknown>): Promise<InvalidClientError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidClientError);
  return err as InvalidClientError;
}

/** Polls `probe` until it returns a value (not undefined), or fails naming `what` after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

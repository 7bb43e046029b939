/** Injection token of the ClientSecretCheck the app provides. */
export const CLIENT_SECRET_CHECK = Symbol('tessera:client-secret-check');

/**
 * Checks a presented client secret against the one the token service stores
 * (only as SHA-256, DESIGN §2). The token service reads its own
 * `token.client_secrets`; other services call `token.client_secret_matches`,
 * so no secret or hash ever leaves the token schema.
 */
export interface ClientSecretCheck {
  /**
   * True when `presentedSecret` is the client's secret. An unknown client, a
   * public client and a wrong secret answer false with the same work (issue 3:
   * same timing).
   */
  matches(clientId: string, presentedSecret: string): Promise<boolean>;
}

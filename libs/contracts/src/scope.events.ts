/** Wire type strings of the scope aggregate (stream `scope-<name>`), written once (STYLE 3). */
export const ScopeEvents = {
  defined: 'scope.defined',
  deleted: 'scope.deleted',
} as const;

/** `scope.defined`: a scope was created or redefined (DESIGN §5: scopes are the contract with APIs). */
export interface ScopeDefinedData {
  name: string;
  /** Shown on consent screens. */
  description: string;
  /** Claims every token for this scope must carry (`orders_read` → `account_nr`). */
  claims: string[];
}

/** `scope.deleted`: the scope no longer exists. */
export interface ScopeDeletedData {
  name: string;
}

/** The stream id of a scope. */
export function scopeStream(name: string): string {
  return `scope-${name}`;
}

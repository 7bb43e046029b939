/** Metadata key of the scopes a route requires (`@RequireScopes`). */
export const REQUIRED_SCOPES = 'tessera:resource-server:scopes';
/** Metadata key of the claims a route requires (`@RequireClaims`). */
export const REQUIRED_CLAIMS = 'tessera:resource-server:claims';

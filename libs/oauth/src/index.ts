export * from './errors';
export * from './scope-string';
export * from './client-credentials';
export * from './pkce';
export * from './token-exchange';
export * from './resource-indicator';

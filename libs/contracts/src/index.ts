export * from './token.events';
export * from './client.events';
export * from './scope.events';
export * from './signing-key.events';

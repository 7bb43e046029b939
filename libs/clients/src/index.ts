export * from './client-state';
export * from './registered-client';
export * from './client-credentials.crypto';
export * from './client-secret-check';
export * from './client.directory';
export * from './client-assertion.verifier';
export * from './client.authenticator';

export * from './errors';
export * from './scope-string';
export * from './client-credentials';

export * from './config-error';
export * from './config.types';
export * from './load-config';
export * from './secret';
export { MEMORY_DATA_DIR } from './standalone-secrets';
export { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_TRUSTED_PROXIES } from './config-parsers';

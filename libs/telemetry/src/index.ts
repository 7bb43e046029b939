export * from './logger';
export * from './nest-logger.adapter';
export * from './metrics';
export * from './http-metrics.hook';

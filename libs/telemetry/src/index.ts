export * from './logger';
export * from './nest-logger.adapter';
export * from './metrics';
export * from './http-metrics.hook';
export * from './service-metrics';
export * from './trace-context';
export * from './tracing';
export * from './http-tracing.hook';

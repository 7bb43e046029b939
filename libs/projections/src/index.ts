export * from './projection';
export * from './projection-runner';
export * from './projection-status';
export * from './rebuild-projection';
export * from './read-through';
export * from './dead-letters';
export { type PoisonEvent, keyBatch, foldBatch, splitChanges } from './batch-fold';
export { projectionLagGauge } from './lag-gauge';
export { type ProjectionHealth } from './checkpoint';

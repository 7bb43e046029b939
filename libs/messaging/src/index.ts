export * from './cloud-event';
export * from './message-bus';
export * from './topics';
export * from './log-event-mapping';
export * from './in-process.bus';
export * from './kafka.bus';
export * from './relay';
export * from './relay.migration';

export * from './key-encryption-key';
export * from './signing-key-pair';
export * from './sealed-signing-key';

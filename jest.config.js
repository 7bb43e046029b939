// Test tiers by file suffix (STYLE 10): *.spec.ts beside the code (unit),
// *.int-spec.ts against the real PostgreSQL and Kafka, test/** across services.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const libs = [
  'contracts',
  'event-store',
  'messaging',
  'projections',
  'telemetry',
  'platform',
  'oauth',
  'keys',
  'clients',
  'resource-server',
];
const moduleNameMapper = Object.fromEntries(libs.map((lib) => [`^@tessera/${lib}$`, `<rootDir>/libs/${lib}/src`]));

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  // ESM-only packages are transformed to CommonJS (STACK.md).
  transformIgnorePatterns: [
    '/node_modules/(?!(jose|@electric-sql/pglite|openid-client|oauth4webapi|@noble/hashes|@scure/base)/)',
  ],
  moduleNameMapper,
};

module.exports = {
  // jest-circus reads the timeout from the global config only; a project's testTimeout is ignored.
  testTimeout: 180000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      testTimeout: 120000,
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], testTimeout: 180000 },
  ],
};

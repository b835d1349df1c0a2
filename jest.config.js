/** Jest runs the TypeScript sources as native ESM, with types erased the way Node erases them. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/strip-types.js' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A guard against a hang, not a measure of speed: on a loaded 2-core machine starting Tessera
  // and signing users in before a test can take longer than half a minute.
  testTimeout: 120_000,
  maxWorkers: 2,
};

import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
export const FIXTURE_BIN = fileURLToPath(new URL('../fixtures/bin', import.meta.url));
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/logwarden.js', import.meta.url));

import type { Logger } from '../../src/core/logger.js';

// A child logs where its parent does: spread with an override ({ ...silentLogger, error }), children record too.
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  child() {
    return this;
  },
};

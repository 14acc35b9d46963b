import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const FIXTURE_BIN = fileURLToPath(new URL('../fixtures/bin/', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/logwarden.js', import.meta.url));

export const silentLogger = { info() {}, warn() {}, error() {} };

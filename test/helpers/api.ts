// The package's Node entry point, as a user importing `se-secrets` under Node gets it.
export * from '../../src/node.js';
import { toHex } from '../../src/internal/bytes.js';
export const toHexForTest = toHex;

/**
 * The CLI's outputs: the one atomic writer of `src/node/output.ts` (stage every file,
 * then commit), with staged files also removed when the command is interrupted.
 *
 * @module
 */
import { Outputs as NodeOutputs } from '../node/output.js';

export { MODE_DEFAULT, MODE_SECRET } from '../node/output.js';

/** The outputs of one command, staged then committed together. */
export class Outputs extends NodeOutputs {
  constructor() {
    super({ exitOnSignal: true });
  }
}

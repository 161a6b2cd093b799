/**
 * `se-secrets extract-header IMAGE [-o FILE]`: what pvextract-hdr does, with the
 * library's header search (image metadata at 0xc000, else the first 0x15 pages)
 * instead of pvextract-hdr's byte search in pages 0x14–0x17.
 *
 * @module
 */
import { type ParsedCommand, getString } from '../args.js';
import { inputSize } from '../files.js';
import { readSeHeader } from '../lib.js';
import type { Logger } from '../log.js';
import { Outputs } from '../output.js';

/** pvextract-hdr's default output file. */
export const DEFAULT_HEADER_FILE = 'sehdr.bin';

export async function runExtractHeader(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  const image = getString(c, 'image') as string;
  const output = getString(c, 'output') ?? DEFAULT_HEADER_FILE;
  await inputSize(image, 'SE image');
  const hdr = await readSeHeader(image, { onWarning: (m) => log.warn(`${image}: ${m}`) });
  log.success(`SE header found at offset 0x${hdr.offset.toString(16)}`);
  const outputs = new Outputs();
  try {
    await outputs.file(output, hdr.raw, 'SE header');
    await outputs.commit((chunk) => log.streams.out(chunk));
  } catch (e) {
    await outputs.abort();
    throw e;
  }
  log.success(`SE header written to '${output}' (${hdr.raw.length} bytes)`);
}

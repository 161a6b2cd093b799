/**
 * Reading YAML (or JSON, which is YAML) that a user hands in: plan files, batch files,
 * `--cuid` files. One parser setup for all of them, bounded:
 *
 * - at most {@link MAX_YAML_SIZE} bytes of text (the parser takes seconds per MiB);
 * - scalars kept as text (the failsafe schema: nothing is guessed into a number);
 * - duplicate keys refused, checked in one linear pass (the `yaml` package's own
 *   `uniqueKeys` check compares every key with every other: 100,000 keys took minutes);
 * - alias expansion bounded by the package's `maxAliasCount` when converting.
 *
 * @module
 */
import { type Document, isAlias, isScalar, parseDocument, visit } from 'yaml';

import { MAX_YAML_SIZE } from './yaml-limit.js';

export { MAX_YAML_SIZE };

/** Why text is not acceptable YAML: the 1-based line, and a short lowercase reason. */
export interface YamlProblem {
  readonly line: number;
  readonly reason: string;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The first duplicate mapping key (text or alias), in one pass over the document. */
function keyProblem(doc: Document.Parsed): { offset: number; reason: string } | undefined {
  let found: { offset: number; reason: string } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key as unknown;
        let id: string;
        if (key === null || key === undefined) id = 'null';
        else if (isScalar(key)) id = `=${String(key.value)}`;
        else if (isAlias(key)) id = `*${key.source}`;
        else continue; // a mapping or list as a key: never a key anything here looks up
        if (seen.has(id)) {
          found = { offset: (key as { range?: [number] } | null)?.range?.[0] ?? 0, reason: 'duplicate key' };
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Parses YAML or JSON text with every scalar kept as a string and duplicate keys
 * refused. Text over {@link MAX_YAML_SIZE} is refused unparsed.
 *
 * @returns the document, or the first problem found
 */
export function parseYaml(text: string): { doc: Document.Parsed } | { problem: YamlProblem } {
  if (text.length > MAX_YAML_SIZE) return { problem: { line: 1, reason: `too large: ${text.length} characters; at most ${MAX_YAML_SIZE}` } };
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
  const err = doc.errors[0];
  if (err) return { problem: { line: lineAt(text, err.pos[0]), reason: err.code.toLowerCase().replace(/_/g, ' ') } };
  const bad = keyProblem(doc);
  if (bad) return { problem: { line: lineAt(text, bad.offset), reason: bad.reason } };
  return { doc };
}

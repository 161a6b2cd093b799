/**
 * Every parser of untrusted input, as fuzz targets. To fuzz a new parser, add one entry:
 *
 * ```ts
 * { name: 'parseCrl', parse: (b) => parseCrl(b), seeds: [sample('ibm-z-host-key.crl')], dictionary: PEM_DICTIONARY },
 * // text formats: decode inside parse, give text seeds and the format's keywords
 * { name: 'parseCuidYaml', parse: (b) => parseCuidYaml(new TextDecoder().decode(b)), seeds: [utf8('cuid: 0x…\n')], dictionary: ['cuid', ':', '- ', '\n', '0x'] },
 * ```
 *
 * `parse` may return anything (or a promise) and may only throw `SeSecretsError`;
 * `test/fuzz/parsers.test.ts` runs the four properties of `harness.ts` on each entry.
 */

import { decodePem } from '../../src/certs/pem.js';
import { parseCertificates } from '../../src/certs/x509.js';
import { normalizeP521PrivateKey, wireToPoint } from '../../src/crypto/p521.js';
import { bytesReader, locateSeHeader, parseSeHeader } from '../../src/header/locate.js';
import { decodeSeHeader } from '../../src/header/se-header.js';
import { parseAddSecretRequest } from '../../src/request/asrcb.js';
import { hostKeysFromDocuments } from '../../src/request/host-key.js';
import type { FuzzTarget } from './harness.js';
import {
  certificateSeeds,
  DER_DICTIONARY,
  headerSeeds,
  hostKeyDocumentSeeds,
  imageSeeds,
  PEM_DICTIONARY,
  pemSeeds,
  requestSeeds,
  scalarSeeds,
  wireSeeds,
} from './seeds.js';

const SE_DICTIONARY = ['IBMSecEx', 'SeImgLnx', new Uint8Array([0, 0, 1, 0])];
const REQUEST_DICTIONARY = ['asrcbM', new Uint8Array([0, 0, 1, 0]), new Uint8Array([0, 1]), new Uint8Array([0, 2])];

export const targets: FuzzTarget[] = [
  { name: 'parseSeHeader', parse: (b) => parseSeHeader(b), seeds: imageSeeds, dictionary: SE_DICTIONARY },
  { name: 'decodeSeHeader', parse: (b) => decodeSeHeader(b), seeds: headerSeeds, dictionary: SE_DICTIONARY },
  {
    name: 'locateSeHeader (bytes reader)',
    parse: (b) => locateSeHeader(async (offset, length) => bytesReader(b)(offset, length)),
    seeds: imageSeeds,
    dictionary: SE_DICTIONARY,
  },
  { name: 'parseAddSecretRequest', parse: (b) => parseAddSecretRequest(b), seeds: requestSeeds, dictionary: REQUEST_DICTIONARY },
  { name: 'parseCertificates', parse: (b) => parseCertificates(b), seeds: certificateSeeds, dictionary: [...PEM_DICTIONARY, ...DER_DICTIONARY] },
  { name: 'decodePem', parse: (b) => decodePem(b), seeds: pemSeeds, dictionary: PEM_DICTIONARY },
  {
    name: 'hostKeysFromDocuments',
    parse: (b) => hostKeysFromDocuments([b]),
    seeds: hostKeyDocumentSeeds,
    dictionary: [...PEM_DICTIONARY, ...DER_DICTIONARY],
  },
  { name: 'wireToPoint', parse: (b) => wireToPoint(b), seeds: wireSeeds, maxLength: 400 },
  { name: 'normalizeP521PrivateKey', parse: (b) => normalizeP521PrivateKey(b), seeds: scalarSeeds, maxLength: 200 },
];

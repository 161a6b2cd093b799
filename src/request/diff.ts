/**
 * Field-by-field comparison of two add-secret requests, separating the fields that are
 * random by design from real differences.
 *
 * Every request gets a fresh customer key pair, protection key and IV, so two requests
 * built from the same inputs — by se-secrets and by `pvsecret create`, say — still
 * differ in: the customer public key, each key slot's wrapped key and tag, the IV, the
 * ciphertext and the request tag (and, for signed user data, the signature, which is
 * randomised too). Everything else (sizes, flags, the SE-header binding, CUID, user
 * data, the host-key hashes, secret type, length and id) must be equal.
 *
 * @module
 */
import { SeSecretsError } from '../errors.js';
import { toHex } from '../internal/bytes.js';
import { type AddSecretRequestInfo, parseAddSecretRequest } from './asrcb.js';
import { signedDataSize, userDataTypeName } from './user-data.js';
import { secretTypeLabel } from './secret.js';

/** One compared field. */
export interface FieldDiff {
  /** Field name, e.g. `flags`, `key slot 0 host-key hash`. */
  readonly field: string;
  /** True when the field is random by design (differs between any two builds). */
  readonly random: boolean;
  readonly equal: boolean;
  /** Display value in request a (hex for bytes). */
  readonly a: string;
  /** Display value in request b. */
  readonly b: string;
}

/** Result of {@link diffAddSecretRequests}. */
export interface AddSecretRequestDiff {
  /** Every compared field, in request order. */
  readonly fields: readonly FieldDiff[];
  /** Fields that differ although they are not random by design. */
  readonly differences: readonly FieldDiff[];
  /** Fields that differ because they are random by design (expected). */
  readonly randomDifferences: readonly FieldDiff[];
  /** True when nothing but random-by-design fields differ. */
  readonly equivalent: boolean;
}

function parseSide(bytes: Uint8Array, side: 'a' | 'b'): AddSecretRequestInfo {
  try {
    return parseAddSecretRequest(bytes);
  } catch (e) {
    if (e instanceof SeSecretsError) e.message = `request ${side}: ${e.message}`;
    throw e;
  }
}

type Value = Uint8Array | number | bigint | string | undefined;

function show(v: Value): string {
  if (v === undefined) return '(absent)';
  if (v instanceof Uint8Array) return toHex(v);
  if (typeof v === 'bigint') return `0x${v.toString(16).padStart(16, '0')}`;
  return String(v);
}

/**
 * Compares two add-secret requests field by field.
 *
 * @example
 * ```ts
 * const d = diffAddSecretRequests(ours, pvsecrets);
 * if (!d.equivalent) for (const f of d.differences) console.log(f.field, f.a, f.b);
 * ```
 * @throws RequestError / FormatError from parsing either request (message prefixed
 *   `request a:` or `request b:`)
 */
export function diffAddSecretRequests(a: Uint8Array, b: Uint8Array): AddSecretRequestDiff {
  const x = parseSide(a, 'a');
  const y = parseSide(b, 'b');
  const fields: FieldDiff[] = [];
  const add = (field: string, random: boolean, va: Value, vb: Value) => {
    const sa = show(va);
    const sb = show(vb);
    fields.push({ field, random, equal: sa === sb, a: sa, b: sb });
  };
  const udName = (t: number) => `${t} (${userDataTypeName(t)})`;

  add('user-data type', false, udName(x.userDataType), udName(y.userDataType));
  add('version', false, `0x${x.version.toString(16)}`, `0x${y.version.toString(16)}`);
  add('length', false, x.length, y.length);
  add('iv', true, x.iv, y.iv);
  add('key slots (nks)', false, x.nks, y.nks);
  add('encrypted size (sea)', false, x.sea, y.sea);
  add('flags', false, x.flags, y.flags);
  add('pld', false, x.pld, y.pld);
  add('ald', false, x.ald, y.ald);
  add('tld', false, x.tld, y.tld);
  add('SE-header tag', false, x.tag, y.tag);
  add('cuid', false, x.cuid, y.cuid);
  const sx = signedDataSize(x.userDataType);
  const sy = signedDataSize(y.userDataType);
  if (sx !== undefined && sx === sy) {
    add('user data', false, x.userDataArea.subarray(0, sx), y.userDataArea.subarray(0, sy));
    add('user-data signature', true, x.userDataArea.subarray(sx), y.userDataArea.subarray(sy));
  } else {
    add('user data', false, x.userDataArea, y.userDataArea);
  }
  add('customer public key', true, x.customerPublicKey, y.customerPublicKey);
  for (let i = 0; i < Math.max(x.nks, y.nks); i++) {
    const p = x.keySlots[i];
    const q = y.keySlots[i];
    add(`key slot ${i} host-key hash`, false, p?.hostKeyHash, q?.hostKeyHash);
    add(`key slot ${i} wrapped key`, true, p?.wrappedKey, q?.wrappedKey);
    add(`key slot ${i} tag`, true, p?.tag, q?.tag);
  }
  add('secret type', false, secretTypeLabel(x.secret.type), secretTypeLabel(y.secret.type));
  add('secret length', false, x.secret.length, y.secret.length);
  add('secret id', false, x.secret.id, y.secret.id);
  add('ciphertext', true, x.encrypted, y.encrypted);
  add('request tag', true, x.requestTag, y.requestTag);

  const differences = fields.filter((f) => !f.equal && !f.random);
  const randomDifferences = fields.filter((f) => !f.equal && f.random);
  return { fields, differences, randomDifferences, equivalent: differences.length === 0 };
}

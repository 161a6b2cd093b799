/**
 * guest-setup.sh: the commands the guest owner runs inside the SE guest.
 *
 * 0. report every illicit queue `lszcrypt -V` shows that the plan does not know (illicit
 *    queues hang the guest's AP work); `--offline-illicit` takes exactly those queues
 *    offline with `chzcrypt -d AA.DDDD`;
 * 1. `pvsecret add` each request (skipped when `pvsecret list` already shows its id:
 *    pvsecret refuses a duplicate id only since s390-tools 2.38, older ones add it twice);
 * 2. either `pvapconfig --config pvapconfig.yaml --strict` (after checking pvapconfig's
 *    one-MKVP-per-EP11-adapter rule on every EP11 queue the guest sees), or per queue
 *    `chzcrypt --se-bind APQN` and, for EP11, `chzcrypt --se-associate INDEX APQN` with
 *    the index found by id in `pvsecret list` — each step only when `lszcrypt -V`
 *    shows the queue still needs it;
 * 3. `lszcrypt -V`, and a check that every planned queue is `usable`.
 *
 * Output formats relied on (s390-tools 2.29 to 2.43, `pv_core` `secret_list.rs`):
 * `pvsecret list --format yaml` prints `secrets:` with one mapping per secret (`index`,
 * `stype` — 2 for association secrets —, `len`, `id: 0x<64 hex>`); the human format,
 * used when the YAML one is not there, prints `<index> <type>:` and then the id as two
 * spaces and bare hex (2.29 to 2.36) or as ` [<ascii name> | ]0x<hex>` (2.37 and later).
 * `lszcrypt -V` prints one line per queue starting with `aa.dddd`, with the STATUS
 * column fourth and the SESTAT column (`usable`, `bound`, `unbound`, `illicit`) last
 * (`zconf/zcrypt/lszcrypt.c`); chzcrypt's association state is in
 * `/sys/bus/ap/devices/cardAA/AA.DDDD/se_associate` (`associated <index>`), an EP11
 * queue's master keys in `…/mkvps` (`WK CUR: valid 0x<hex>`); like the s390-tools
 * commands, the script honours `SYSFS_ROOT` in place of `/sys`.
 *
 * Only checked values reach the script (APQNs, hex ids, file names we choose); names
 * appear in single quotes.
 *
 * @module
 */
import { toHex } from '../internal/bytes.js';
import { PLAN_FILES } from './manifest.js';
import type { NormalizedQueue } from './validate.js';

/** Single-quotes a string for POSIX shells. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A queue of the script, with its request file when it is EP11. */
export interface ScriptQueue extends NormalizedQueue {
  readonly requestFile?: string;
}

/** A queue line of `lszcrypt -V`: `aa.dddd` first. */
const AWK_APQN = '/^[0-9a-f][0-9a-f]\\.[0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/';

const FUNCTIONS = `die() { echo "guest-setup: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (it comes with s390-tools)"; }

# secret_list: "<index> <id>" (id in lowercase hex without 0x) for each association
# secret in the ultravisor. 'pvsecret list --format yaml' (s390-tools 2.29 and later)
# first; the human format as the fallback: "<index> Association:" and then the id as
# "  <hex>" (2.29 to 2.36) or " [<name> | ]0x<hex>" (2.37 and later).
secret_list() {
  local out
  if out=$(pvsecret list --format yaml 2>/dev/null) && printf '%s\\n' "$out" | grep -q '^secrets:'; then
    printf '%s\\n' "$out" | awk '
      function flush() { if (ix != "" && st == "2") print ix, id; ix = ""; st = ""; id = "" }
      /^ *- / { flush(); sub(/- /, "  ") }
      { line = $0; gsub(/["\\047\\r]/, "", line) }
      line ~ /^ +(index|stype|id):/ {
        key = line; sub(/^ +/, "", key); sub(/:.*/, "", key)
        val = line; sub(/^[^:]*: */, "", val); sub(/ +$/, "", val)
        if (key == "index") ix = val; else if (key == "stype") st = val; else { id = tolower(val); sub(/^0x/, "", id) }
      }
      END { flush() }'
  else
    pvsecret list | awk '
      /^[0-9]+ [^:]*: *$/ { idx = $1; assoc = ($2 == "Association:"); next }
      idx != "" && /^ / { if (assoc) { id = tolower($NF); sub(/^0x/, "", id); print idx, id }; idx = "" }'
  fi
}

# secret_index HEXID: index of the association secret with that id (the first one, if
# an older pvsecret stored it twice).
secret_index() {
  secret_list | awk -v want="$1" '$2 == want && found == "" { found = $1 } END { if (found == "") exit 1; print found }'
}

# se_state APQN: the SESTAT column (the last one) of 'lszcrypt -V APQN'.
se_state() {
  lszcrypt -V "$1" | awk -v q="$1" '$1 == q { print $NF }'
}

# add_request FILE HEXID NAME
add_request() {
  if secret_index "$2" >/dev/null; then
    echo "secret $3 (0x$2) is already in the secret store; not adding it again"
  else
    echo "+ pvsecret add $1"
    pvsecret add "$here/$1" || die "pvsecret add $1 failed\${bound_cuid:+: the requests are bound to the guest instance with CUID $bound_cuid, and the ultravisor accepts them from that instance only (attest this guest again: se-secrets plan --attest)}"
  fi
}

state_error() {
  case "$2" in
    illicit) die "queue $1 is illicit: it is not available to this SE guest (check the guest's AP configuration on the host)" ;;
    *) die "queue $1: unexpected SE state '$2' (is this an SE guest with AP pass-through, and is the queue online?)" ;;
  esac
}

# bind_queue APQN: accelerator queues are only bound.
bind_queue() {
  local q=$1 state
  state=$(se_state "$q") || die "queue $q: lszcrypt -V $q failed"
  case "$state" in
    unbound) echo "+ chzcrypt --se-bind $q"; chzcrypt --se-bind "$q" ;;
    bound | usable) echo "queue $q is already bound" ;;
    *) state_error "$q" "$state" ;;
  esac
}

# associate_queue APQN HEXID NAME: bind an EP11 queue and associate it with the secret.
associate_queue() {
  local q=$1 id=$2 name=$3 idx state current
  idx=$(secret_index "$id") || die "queue $q: association secret $name (0x$id) is not in 'pvsecret list'"
  state=$(se_state "$q") || die "queue $q: lszcrypt -V $q failed"
  case "$state" in
    unbound)
      echo "+ chzcrypt --se-bind $q"; chzcrypt --se-bind "$q"
      echo "+ chzcrypt --se-associate $idx $q"; chzcrypt --se-associate "$idx" "$q" ;;
    bound)
      echo "+ chzcrypt --se-associate $idx $q"; chzcrypt --se-associate "$idx" "$q" ;;
    usable)
      current=$(cat "\${SYSFS_ROOT:-/sys}/bus/ap/devices/card\${q%%.*}/$q/se_associate" 2>/dev/null || true)
      [ "$current" = "associated $idx" ] || die "queue $q is already in use ('$current'), not associated with secret index $idx; unbind it first: chzcrypt --se-unbind $q"
      echo "queue $q is already associated with secret index $idx" ;;
    *) state_error "$q" "$state" ;;
  esac
}

# queue_mkvp APQN: the first 32 hex digits of the EP11 queue's current wrapping-key MKVP
# (sysfs mkvps, as pvapconfig reads it), else the planned one.
queue_mkvp() {
  local v
  v=$(awk '$1 == "WK" && $2 == "CUR:" && tolower($3) == "valid" { v = tolower($4); sub(/^0x/, "", v); print substr(v, 1, 32) }' \\
    "\${SYSFS_ROOT:-/sys}/bus/ap/devices/card\${1%%.*}/$1/mkvps" 2>/dev/null || true)
  [ -n "$v" ] || v=$(planned_mkvp "$1")
  echo "$v"
}

# check_mk_restriction: pvapconfig refuses to run when two EP11 queues of one adapter
# have the same MKVP (check_mk_restriction in s390-tools' pvapconfig); check every EP11
# queue lszcrypt shows before running it.
check_mk_restriction() {
  local q clash
  clash=$(for q in $(lszcrypt -V | awk '$1 ~ ${AWK_APQN} && $3 ~ /^EP11/ { print $1 }'); do
    echo "$q $(queue_mkvp "$q")"
  done | awk 'NF == 2 { k = substr($1, 1, 2) " " $2; if (k in seen) { print seen[k], $1; exit } seen[k] = $1 }')
  [ -z "$clash" ] || die "queues \${clash% *} and \${clash#* } are EP11 domains of one adapter with the same MKVP: pvapconfig refuses to run (give each domain its own master key, or run ./guest-setup.sh without --pvapconfig to bind with chzcrypt)"
}
`;

/** Options of {@link guestSetupScript}. */
export interface GuestScriptOptions {
  /** False when the plan opts out of pvapconfig: the script then has no `--pvapconfig`. */
  readonly pvapconfig?: boolean;
  /** `plan --cuid`: the CUID the requests are bound to (named when `pvsecret add` refuses one). */
  readonly cuid?: Uint8Array;
}

/**
 * The text of guest-setup.sh for a plan. It passes `bash -n` and runs under
 * `set -euo pipefail`. The guest name is not written into it (no plan text in a comment);
 * manifest.json names the guest.
 *
 * @example
 * ```ts
 * const sh = guestSetupScript('guest1', queues); // "#!/usr/bin/env bash\n# guest-setup.sh …"
 * ```
 */
export function guestSetupScript(_guest: string, queues: readonly ScriptQueue[], options: GuestScriptOptions = {}): string {
  const pvapconfig = options.pvapconfig !== false;
  const ep11 = queues.filter((q) => q.mode === 'EP11');
  const help = [
    '# guest-setup.sh, generated by se-secrets plan for the SE guest named in manifest.json.',
    '# Run it as root inside the guest, with the request files and pvapconfig.yaml beside it:',
    '#   ./guest-setup.sh                   add the secrets, then bind (and for EP11 associate)',
    '#                                      each planned AP queue with chzcrypt',
    ...(pvapconfig
      ? [
          '#   ./guest-setup.sh --pvapconfig      add the secrets, then let pvapconfig bind and',
          '#                                      associate matching queues using ./pvapconfig.yaml',
        ]
      : []),
    '#   ./guest-setup.sh --offline-illicit also take illicit queues the plan does not know',
    '#                                      offline (chzcrypt -d AA.DDDD)',
    '# It ends with lszcrypt -V and fails unless every planned queue is usable and no',
    '# unplanned queue is illicit. Secrets last until the guest stops: run it at every boot',
    '# (se-guest-setup.service).',
    ...(options.cuid
      ? [
          `# The requests are bound to the guest instance with CUID 0x${toHex(options.cuid)}`,
          '# (se-secrets plan --cuid): the ultravisor accepts them from that instance only.',
        ]
      : []),
  ];
  const planned = queues.map((q) => q.apqn).join(' ');
  const lines: string[] = [
    '#!/usr/bin/env bash',
    ...help,
    `# Queues: ${queues.map((q) => `${q.apqn} (${q.mode})`).join(', ')}.`,
    '',
    'set -euo pipefail',
    '',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash parameter expansion, not a template
    'here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)',
    `bound_cuid=${options.cuid ? `0x${toHex(options.cuid)}` : "''"}`,
    'use_pvapconfig=0',
    'offline_illicit=0',
    'for arg in "$@"; do',
    '  case "$arg" in',
    pvapconfig
      ? '    --pvapconfig) use_pvapconfig=1 ;;'
      : '    --pvapconfig) echo "guest-setup: this plan does not use pvapconfig (pvapconfig: false)" >&2; exit 2 ;;',
    '    --offline-illicit) offline_illicit=1 ;;',
    `    -h | --help) sed -n '2,${help.length + 1}p' "\${BASH_SOURCE[0]}"; exit 0 ;;`,
    `    *) echo "usage: $0 [${pvapconfig ? '--pvapconfig] [' : ''}--offline-illicit]" >&2; exit 2 ;;`,
    '  esac',
    'done',
    '',
    FUNCTIONS,
    '# planned_mkvp APQN: the MKVP the plan gives an EP11 queue.',
    'planned_mkvp() {',
    '  case "$1" in',
    ...ep11.map((q) => `    ${q.apqn}) echo ${(q.mkvp as string).slice(0, 32)} ;;`),
    '    *) echo "" ;;',
    '  esac',
    '}',
    '',
    'need pvsecret',
    'need lszcrypt',
    'if [ "$use_pvapconfig" = 1 ]; then need pvapconfig; else need chzcrypt; fi',
    '',
    '# 0. Illicit queues the plan does not know: they hang the AP work of the guest',
    "#    (IBM's Secure AP pass-through white paper: remove the illicit cards).",
    `planned=" ${planned} "`,
    `unplanned_illicit=$(lszcrypt -V | awk -v planned="$planned" '$1 ~ ${AWK_APQN} && $4 != "offline" && $NF == "illicit" && index(planned, " " $1 " ") == 0 { print $1 }')`,
    'illicit_left=""',
    'for q in $unplanned_illicit; do',
    '  if [ "$offline_illicit" = 1 ]; then',
    '    echo "+ chzcrypt -d $q"',
    '    chzcrypt -d "$q"',
    '  else',
    '    echo "guest-setup: queue $q is illicit and not in the plan; illicit queues hang the AP work of the guest: take it offline (chzcrypt -d $q, or run ./guest-setup.sh --offline-illicit) or remove it from the guest\'s mediated device on the KVM host" >&2',
    '    illicit_left="$illicit_left $q"',
    '  fi',
    'done',
    '',
    '# 1. Add the association secrets to the ultravisor.',
  ];
  if (ep11.length === 0) lines.push(': # no EP11 queue: nothing to add');
  for (const q of ep11) lines.push(`add_request ${shellQuote(q.requestFile ?? '')} ${toHex(q.secretId as Uint8Array)} ${shellQuote(q.name)}`);
  lines.push('', '# 2. Bind and associate the AP queues.', 'if [ "$use_pvapconfig" = 1 ]; then');
  lines.push('  check_mk_restriction');
  lines.push('  echo "+ pvapconfig --config $here/pvapconfig.yaml --strict --verbose"');
  lines.push('  pvapconfig --config "$here/pvapconfig.yaml" --strict --verbose');
  lines.push('else');
  for (const q of queues) {
    if (q.mode === 'EP11') lines.push(`  associate_queue ${q.apqn} ${toHex(q.secretId as Uint8Array)} ${shellQuote(q.name)}`);
    else lines.push(`  bind_queue ${q.apqn}`);
  }
  lines.push('fi', '', '# 3. Check that every planned queue is usable.', 'lszcrypt -V', 'failed=0');
  lines.push(`for q in ${planned}; do`);
  lines.push('  state=$(se_state "$q" || true)');
  lines.push('  if [ "$state" = usable ]; then');
  lines.push('    echo "ok: queue $q is usable"');
  lines.push('  else');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash parameter expansion, not a template
  lines.push('    echo "guest-setup: queue $q is ${state:-not listed}, not usable" >&2');
  lines.push('    failed=1');
  lines.push('  fi');
  lines.push('done');
  lines.push('if [ -n "$illicit_left" ]; then');
  lines.push('  echo "guest-setup: illicit queues not in the plan:$illicit_left (see above)" >&2');
  lines.push('  failed=1');
  lines.push('fi');
  lines.push('exit "$failed"');
  return `${lines.join('\n')}\n`;
}

/**
 * guest-setup.sh for phase 1 of an attested plan (`plan --attest`): it runs `pvattest
 * perform` on the attestation request beside it and writes the response to bring back
 * to the workstation. It adds no secret: phase 2 (`plan --cuid`) builds the requests,
 * bound to the CUID that `attest verify` read from the response. The files are named
 * with `-i` and `-o`, which every pvattest takes: the C one (s390-tools 2.32 and
 * earlier) only those, the Rust one (2.33 on) also positionals (`PerformAttOpt` in
 * `rust/pvattest/src/cli.rs`).
 *
 * @example
 * ```ts
 * const sh = guestAttestScript(); // "#!/usr/bin/env bash\n# guest-setup.sh …"
 * ```
 */
export function guestAttestScript(): string {
  const req = PLAN_FILES.attestationRequest;
  const resp = PLAN_FILES.attestationResponse;
  const help = [
    '# guest-setup.sh, generated by se-secrets plan --attest for the SE guest named in manifest.json.',
    `# Run it as root inside the guest, with ${req} beside it: it asks the ultravisor`,
    `# to attest this guest (pvattest perform) and writes ${resp}. Bring that file`,
    '# back to the workstation, verify it there (se-secrets attest verify), and plan the',
    '# secrets for this guest instance (se-secrets plan --cuid result.yaml). No secret is',
    '# added here.',
  ];
  return `${[
    '#!/usr/bin/env bash',
    ...help,
    '',
    'set -euo pipefail',
    '',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash parameter expansion, not a template
    'here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)',
    'for arg in "$@"; do',
    '  case "$arg" in',
    `    -h | --help) sed -n '2,${help.length + 1}p' "\${BASH_SOURCE[0]}"; exit 0 ;;`,
    '    *) echo "usage: $0" >&2; exit 2 ;;',
    '  esac',
    'done',
    'command -v pvattest >/dev/null 2>&1 || { echo "guest-setup: pvattest not found (it comes with s390-tools)" >&2; exit 1; }',
    '',
    `echo "+ pvattest perform -i ${req} -o ${resp}"`,
    `pvattest perform -i "$here/${req}" -o "$here/${resp}"`,
    `echo "wrote $here/${resp}: bring it back to the workstation for se-secrets attest verify"`,
  ].join('\n')}\n`;
}

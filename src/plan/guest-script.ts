/**
 * guest-setup.sh: the commands the guest owner runs inside the SE guest.
 *
 * 1. `pvsecret add` each request (skipped when `pvsecret list` already shows its id:
 *    pvsecret refuses a second secret with the same id);
 * 2. either `pvapconfig --config pvapconfig.yaml --strict`, or per queue
 *    `chzcrypt --se-bind APQN` and, for EP11, `chzcrypt --se-associate INDEX APQN` with
 *    the index found by id in `pvsecret list` — each step only when `lszcrypt -V`
 *    shows the queue still needs it;
 * 3. `lszcrypt -V`, and a check that every planned queue is `usable`.
 *
 * Output formats relied on (s390-tools 2.43): `pvsecret list` prints each secret as a
 * line `<index> <type>:` followed by a line ` [<ascii name> | ]0x<64 hex id>`
 * (`pv_core/src/uvdevice/secret_list.rs`); `lszcrypt -V` prints one line per queue
 * starting with `aa.dddd` and ending with the SESTAT column `usable`, `bound`, `unbound`
 * or `illicit` (`zconf/zcrypt/lszcrypt.c`); chzcrypt's association state is in
 * `/sys/bus/ap/devices/cardAA/AA.DDDD/se_associate` (`associated <index>`); like the
 * s390-tools commands, the script honours `SYSFS_ROOT` in place of `/sys`.
 *
 * Only checked values reach the script (APQNs, hex ids, file names we choose); names
 * appear in single quotes.
 *
 * @module
 */
import { toHex } from '../internal/bytes.js';
import type { NormalizedQueue } from './validate.js';

/** Single-quotes a string for POSIX shells. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A queue of the script, with its request file when it is EP11. */
export interface ScriptQueue extends NormalizedQueue {
  readonly requestFile?: string;
}

const PROLOGUE = `set -euo pipefail

here=$(cd -- "$(dirname -- "\${BASH_SOURCE[0]}")" && pwd)
use_pvapconfig=0
case "\${1-}" in
  "") ;;
  --pvapconfig) use_pvapconfig=1 ;;
  -h | --help) sed -n '2,9p' "\${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "usage: $0 [--pvapconfig]" >&2; exit 2 ;;
esac

die() { echo "guest-setup: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (it comes with s390-tools)"; }

need pvsecret
need lszcrypt
if [ "$use_pvapconfig" = 1 ]; then need pvapconfig; else need chzcrypt; fi

# secret_index HEXID: index of the association secret with id 0xHEXID in 'pvsecret list'
# (lines "<index> <type>:" then " [<name> | ]0x<id>").
secret_index() {
  pvsecret list | awk -v want="0x$1" '
    /^[0-9]+ / { idx = $1; type = $2; next }
    /^ / && type == "Association:" && tolower($NF) == want && found == "" { found = idx }
    END { if (found == "") exit 1; print found }'
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
    pvsecret add "$here/$1"
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
`;

/**
 * The text of guest-setup.sh for a plan. It passes `bash -n` and runs under
 * `set -euo pipefail`.
 *
 * @example
 * ```ts
 * const sh = guestSetupScript('guest1', queues); // "#!/usr/bin/env bash\n# guest-setup.sh …"
 * ```
 */
export function guestSetupScript(guest: string, queues: readonly ScriptQueue[]): string {
  const ep11 = queues.filter((q) => q.mode === 'EP11');
  const lines: string[] = [
    '#!/usr/bin/env bash',
    `# guest-setup.sh for SE guest ${guest}, generated by se-secrets plan.`,
    '# Run it as root inside the guest, with the request files and pvapconfig.yaml beside it:',
    '#   ./guest-setup.sh               add the secrets, then bind (and for EP11 associate)',
    '#                                  each planned AP queue with chzcrypt',
    '#   ./guest-setup.sh --pvapconfig  add the secrets, then let pvapconfig bind and',
    '#                                  associate matching queues using ./pvapconfig.yaml',
    '# It ends with lszcrypt -V and fails unless every planned queue is usable.',
    `# Queues: ${queues.map((q) => `${q.apqn} (${q.mode})`).join(', ')}.`,
    '',
    PROLOGUE,
    '# 1. Add the association secrets to the ultravisor.',
  ];
  if (ep11.length === 0) lines.push(': # no EP11 queue: nothing to add');
  for (const q of ep11) lines.push(`add_request ${shellQuote(q.requestFile ?? '')} ${toHex(q.secretId as Uint8Array)} ${shellQuote(q.name)}`);
  lines.push('', '# 2. Bind and associate the AP queues.', 'if [ "$use_pvapconfig" = 1 ]; then');
  lines.push('  echo "+ pvapconfig --config $here/pvapconfig.yaml --strict --verbose"');
  lines.push('  pvapconfig --config "$here/pvapconfig.yaml" --strict --verbose');
  lines.push('else');
  for (const q of queues) {
    if (q.mode === 'EP11') lines.push(`  associate_queue ${q.apqn} ${toHex(q.secretId as Uint8Array)} ${shellQuote(q.name)}`);
    else lines.push(`  bind_queue ${q.apqn}`);
  }
  lines.push('fi', '', '# 3. Check that every planned queue is usable.', 'lszcrypt -V', 'failed=0');
  lines.push(`for q in ${queues.map((q) => q.apqn).join(' ')}; do`);
  lines.push('  state=$(se_state "$q" || true)');
  lines.push('  if [ "$state" = usable ]; then');
  lines.push('    echo "ok: queue $q is usable"');
  lines.push('  else');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash parameter expansion, not a template
  lines.push('    echo "guest-setup: queue $q is ${state:-not listed}, not usable" >&2');
  lines.push('    failed=1');
  lines.push('  fi');
  lines.push('done');
  lines.push('exit "$failed"');
  return `${lines.join('\n')}\n`;
}

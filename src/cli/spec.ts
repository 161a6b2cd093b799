/**
 * The command tree: every command, option and constraint, spelled as in pvsecret 2.43
 * (`rust/pvsecret/src/cli.rs`, `rust/utils/src/cli.rs`) so that existing command lines
 * keep working. Help texts are our own words.
 *
 * @module
 */
import type { CommandSpec, OptionSpec } from './args.js';

export const RETRIEVABLE_TYPES = ['plain', 'aes', 'aes-xts', 'hmac-sha', 'ec'] as const;
export type RetrievableType = (typeof RETRIEVABLE_TYPES)[number];

const verbose: OptionSpec = {
  key: 'verbose', long: 'verbose', short: 'v', shortAliases: ['V'], kind: 'count', global: true,
  help: 'Print more: progress lines, and the causes of an error (repeat for debug output).',
};
const quiet: OptionSpec = {
  key: 'quiet', long: 'quiet', short: 'q', kind: 'count', global: true,
  help: 'Print less: -q hides warnings and success lines (errors are always printed).',
};
const help: OptionSpec = { key: 'help', long: 'help', short: 'h', kind: 'flag', global: true, help: 'Print help.' };

/** `--verify-time` (create, verify-hkd, plan, create --batch). */
const verifyTime: OptionSpec = {
  key: 'verifyTime', long: 'verify-time', kind: 'single', value: 'TIME',
  help: 'Verify the host-key documents as of TIME (RFC 3339, e.g. 2024-03-12T00:00:00Z; or a date) instead of now, to reproduce a past decision. se-secrets only.',
};

/** The certificate options shared by `create` and `verify-hkd` (pvsecret's CertificateOptions). */
const certificateOptions: OptionSpec[] = [
  {
    key: 'hostKeyDocuments', long: 'host-key-document', short: 'k', kind: 'list', value: 'FILE',
    help: 'Host-key document (X.509, PEM or DER) of an IBM Z machine the guest may run on. Repeat or give a comma-separated list; at least one.',
  },
  {
    key: 'noVerify', long: 'no-verify', kind: 'flag',
    help: 'Do not verify the host-key documents. Only for documents you checked yourself: the request may not be protected.',
  },
  {
    key: 'certs', long: 'cert', short: 'C', aliases: ['crt'], kind: 'list', value: 'FILE',
    help: 'Certificate for the chain of trust: the IBM Z signing key and the intermediate CA (repeatable, comma list).',
  },
  {
    key: 'crls', long: 'crl', kind: 'list', value: 'FILE',
    help: 'Certificate revocation list for the chain of trust (repeatable, comma list). Needs --cert.',
  },
  { key: 'offline', long: 'offline', kind: 'flag', help: 'Do not download CRLs. Needs --cert.' },
  {
    key: 'rootCa', long: 'root-ca', kind: 'single', value: 'ROOT_CA',
    help: "Root CA certificate to trust instead of the system's trusted roots. Needs --cert.",
  },
  verifyTime,
];
const certificateConstraints = {
  required: ['hostKeyDocuments'],
  oneOf: [['noVerify', 'certs']],
  requires: [['crls', 'certs'], ['offline', 'certs'], ['rootCa', 'certs'], ['verifyTime', 'certs']] as [string, string][],
};

const stdout: OptionSpec = { key: 'stdout', long: 'stdout', kind: 'flag', help: 'Print the secret information (YAML) to stdout instead of writing NAME.yaml.' };

const createSubcommands: CommandSpec[] = [
  {
    name: 'meta', summary: 'A meta secret: no value, carries only the request flags.',
    description: 'Creates a meta secret. It carries request flags (for example --flags disable-dump) to the Ultravisor without a secret value, and does not appear in the list of secrets.',
    usage: 'se-secrets create [OPTIONS] ... meta',
    options: [],
  },
  {
    name: 'association', summary: 'An association secret that binds AP queues to the guest.',
    description: 'Creates a 32-byte association secret that connects a crypto (AP) queue to the guest (see pvapconfig). The value is random unless --input-secret is given. NAME and the secret ID are written to NAME.yaml beside the request (whitespace in NAME becomes _), or printed with --stdout.',
    usage: 'se-secrets create [OPTIONS] ... association [OPTIONS] <NAME>',
    positionals: [{ key: 'name', name: 'NAME', required: true, help: 'Name of the secret; its SHA-256 is the secret ID.' }],
    options: [
      stdout,
      { key: 'inputSecret', long: 'input-secret', kind: 'single', value: 'SECRET-FILE', help: 'Read the 32-byte secret from SECRET-FILE instead of generating one.' },
      {
        key: 'outputSecret', long: 'output-secret', kind: 'single', value: 'SECRET-FILE',
        help: 'Save the generated secret to SECRET-FILE (mode 0600) to build requests for other guests with --input-secret. Destroy it when no longer needed.',
      },
    ],
    conflicts: [['inputSecret', 'outputSecret']],
  },
  {
    name: 'retrievable', aliases: ['retr'], summary: 'A secret the guest can retrieve at run time.',
    description: 'Creates a retrievable secret. Except plaintext, the guest gets it back as a protected key usable only inside that running guest.\n\nTypes and inputs:\n  plain     any bytes, at most 8190\n  aes       raw key of 16, 24 or 32 bytes\n  aes-xts   raw key of 32 or 64 bytes\n  hmac-sha  raw K0 of 64 or 128 bytes (HMAC-SHA-256 or -512); pre-process the key to\n            the FIPS 198-1 K0 form with the same digest first\n  ec        PEM or DER private key: secp256r1, secp384r1, secp521r1, ed25519, ed448',
    usage: 'se-secrets create [OPTIONS] ... retrievable [OPTIONS] --secret <SECRET-FILE> --type <TYPE> <NAME>',
    positionals: [{ key: 'name', name: 'NAME', required: true, help: 'Name of the secret; its SHA-256 is the secret ID.' }],
    options: [
      stdout,
      { key: 'secret', long: 'secret', kind: 'single', value: 'SECRET-FILE', help: 'The secret value.' },
      { key: 'type', long: 'type', kind: 'single', value: 'TYPE', choices: RETRIEVABLE_TYPES, help: 'The secret type.' },
    ],
    required: ['secret', 'type'],
  },
  {
    name: 'update-cck', aliases: ['cck'], summary: 'Install a new customer communication key.',
    description: 'Creates a request that installs a new 32-byte customer communication key (CCK) in the guest.',
    usage: 'se-secrets create [OPTIONS] ... update-cck --secret <CCK-FILE>',
    options: [{ key: 'secret', long: 'secret', kind: 'single', value: 'CCK-FILE', help: 'The new CCK (exactly 32 bytes).' }],
    required: ['secret'],
  },
];

const create: CommandSpec = {
  name: 'create',
  summary: 'Create an add-secret request (drop-in for pvsecret create).',
  description: 'Builds an add-secret request for one IBM Secure Execution image (--hdr), encrypted for one or more host keys (-k). The host-key documents are verified against the IBM Z chain of trust (--cert, --crl, --root-ca) unless --no-verify is given. Build requests on a trusted machine, never on the guest that receives the secret.',
  usage: 'se-secrets create [OPTIONS] --host-key-document <FILE> --hdr <FILE> --output <FILE> <--no-verify|--cert <FILE>> <COMMAND>\n       se-secrets create [-v|-q] [-f] [--strict-host-match] [--verify-time <TIME>] --batch <FILE>',
  helpWhenEmpty: true,
  options: [
    ...certificateOptions,
    { key: 'hdr', long: 'hdr', kind: 'single', value: 'FILE', help: 'The SE image or an extracted SE header of the guest.' },
    { key: 'force', long: 'force', short: 'f', kind: 'flag', help: 'Allow running on an IBM Secure Execution guest.' },
    {
      key: 'strictHostMatch', long: 'strict-host-match', kind: 'flag',
      help: 'Refuse host keys the SE header was not built for (default: warn). se-secrets only.',
    },
    { key: 'output', long: 'output', short: 'o', kind: 'single', value: 'FILE', help: 'Write the request to FILE (- for stdout). Written atomically.' },
    {
      key: 'extensionSecret', long: 'extension-secret', kind: 'single', value: 'FILE',
      help: 'Use the 32 bytes in FILE as extension secret. All requests for the guest must then carry the same one.',
    },
    { key: 'cck', long: 'cck', kind: 'single', value: 'FILE', help: 'Derive the extension secret from the 32-byte customer communication key in FILE.' },
    { key: 'cuidHex', long: 'cuid-hex', kind: 'single', value: 'HEXSTRING', help: 'Configuration unique ID: 32 hex digits, optional 0x prefix.' },
    { key: 'cuid', long: 'cuid', kind: 'single', value: 'FILE', help: "Configuration unique ID from FILE: 16 raw bytes, or YAML with a 'cuid' entry." },
    { key: 'pcf', long: 'pcf', kind: 'single', value: 'PCF', hidden: true, help: 'Raw 64-bit request flags, hexadecimal (no checks).' },
    { key: 'flags', long: 'flags', kind: 'list', value: 'FLAGS', choices: ['disable-dump'], help: 'Request flags (repeatable, comma list).' },
    { key: 'userData', long: 'user-data', kind: 'single', value: 'FILE', help: 'User data: at most 512 bytes, 256 with an EC or RSA-2048 signing key, 128 with RSA-3072.' },
    { key: 'policy', long: 'policy', kind: 'single', value: 'FILE', help: 'Bind the request to a policy file (its hash and path go into the user data; the hash is printed).' },
    { key: 'tocPolicy', long: 'toc-policy', kind: 'single', value: 'FILE', help: "Append the request's tag (hex) to the TOC policy FILE." },
    { key: 'userSignKey', long: 'user-sign-key', kind: 'single', value: 'FILE', help: 'Sign the request with this private key (PEM or DER; EC secp521r1, RSA-2048 or RSA-3072).' },
    { key: 'useName', long: 'use-name', kind: 'flag', help: 'Use the name itself (at most 31 bytes) as secret ID instead of its SHA-256.' },
    {
      key: 'batch', long: 'batch', kind: 'single', value: 'FILE',
      help: "Build every request the batch FILE (YAML or JSON) lists, for one or more guests, instead of one request: each entry gives its output, header, host-key documents and secret; a 'defaults' mapping applies to all; paths are relative to FILE. Each certificate chain is verified once. Nothing is written unless every request was built. Takes only -v, -q, -f, --strict-host-match, --verify-time (see docs/plan.md). se-secrets only.",
    },
    verbose,
    quiet,
  ],
  subcommands: createSubcommands,
  standalone: [{ key: 'batch', allows: ['strictHostMatch', 'verifyTime', 'force'], reason: 'the batch file gives each request its inputs and output' }],
  subcommandRequired: true,
  required: ['hostKeyDocuments', 'hdr', 'output'],
  oneOf: certificateConstraints.oneOf,
  requires: certificateConstraints.requires,
  conflicts: [['cck', 'extensionSecret'], ['cuid', 'cuidHex'], ['pcf', 'flags'], ['policy', 'userData']],
};

/**
 * An input and an output each given as a positional or as `-i`/`-o` (pvsecret verify,
 * pvattest check): one definition of the four arguments and their constraints.
 */
function inputOutput(input: { name: string; help: string }, output: { name: string; value: string; help: string; required: boolean }) {
  return {
    input: { key: 'input', long: 'input', short: 'i', kind: 'single', value: 'FILE', help: input.help } satisfies OptionSpec,
    output: { key: 'output', long: 'output', short: 'o', kind: 'single', value: output.value, help: output.help } satisfies OptionSpec,
    constraints: {
      positionals: [
        { key: 'inputPos', name: input.name, help: input.help },
        { key: 'outputPos', name: output.name, help: output.help },
      ],
      conflicts: [['input', 'inputPos'], ['output', 'outputPos']] as [string, string][],
      oneOf: output.required ? [['input', 'inputPos'], ['output', 'outputPos']] : [['input', 'inputPos']],
    },
  };
}

const verifyIo = inputOutput(
  { name: 'INPUT', help: 'The request (- for stdin).' },
  { name: 'OUTPUT', value: 'OUTPUT', help: 'Where to write the user data (default stdout).', required: false },
);

const verify: CommandSpec = {
  name: 'verify',
  summary: 'Check an add-secret request and print its user data (like pvsecret verify).',
  description: 'Checks that INPUT is a well-formed add-secret request and, if its user data is signed, verifies the signature with the public key of --user-cert (no chain of trust is checked). The user data, zero-padded to its capacity, is written to OUTPUT (default stdout).',
  usage: 'se-secrets verify [OPTIONS] <INPUT|--input <FILE>> [OUTPUT|--output <OUTPUT>]',
  helpWhenEmpty: true,
  ...verifyIo.constraints,
  options: [
    verifyIo.input,
    { key: 'userCert', long: 'user-cert', kind: 'single', value: 'FILE', help: 'X.509 certificate with the public key of the user-signing key.' },
    verifyIo.output,
    verbose,
    quiet,
  ],
};

const inspect: CommandSpec = {
  name: 'inspect',
  summary: 'Show every non-confidential field of a request, SE header or SE image.',
  usage: 'se-secrets inspect [OPTIONS] <FILE>',
  helpWhenEmpty: true,
  positionals: [{ key: 'file', name: 'FILE', required: true, help: 'An add-secret request, an SE header or an SE image.' }],
  options: [{ key: 'json', long: 'json', kind: 'flag', help: 'Print JSON (shape documented in docs/cli.md).' }, verbose, quiet],
};

const extractHeader: CommandSpec = {
  name: 'extract-header',
  summary: 'Copy the SE header out of an SE image (like pvextract-hdr).',
  description: 'Finds the SE header of IMAGE (image metadata at 0xc000, else a page-by-page search) and writes exactly its bytes to -o (default sehdr.bin).',
  usage: 'se-secrets extract-header [OPTIONS] <IMAGE>',
  helpWhenEmpty: true,
  positionals: [{ key: 'image', name: 'IMAGE', required: true, help: 'The SE image (an extracted header works too).' }],
  options: [{ key: 'output', long: 'output', short: 'o', kind: 'single', value: 'FILE', help: 'Output file (default sehdr.bin; - for stdout).' }, verbose, quiet],
};

const verifyHkd: CommandSpec = {
  name: 'verify-hkd',
  summary: 'Verify host-key documents (like pvverify).',
  description: 'Verifies each host-key document against the IBM Z chain of trust and prints its subject and host-key hash. With --no-verify the documents are only read.',
  usage: 'se-secrets verify-hkd [OPTIONS] --host-key-document <FILE> <--no-verify|--cert <FILE>>',
  helpWhenEmpty: true,
  options: [...certificateOptions, verbose, quiet],
  ...certificateConstraints,
};

const plan: CommandSpec = {
  name: 'plan',
  summary: 'Plan the AP association of a guest: requests, pvapconfig.yaml, guest script.',
  description: 'Reads PLAN (YAML or JSON: the guest, its SE header or image, host-key documents with their verification options, and up to 12 AP queues in EP11 or Accel mode) and writes to DIR: one association request per EP11 queue (each with its own fresh random secret), pvapconfig.yaml, guest-setup.sh and manifest.json. Copy DIR into the guest and run guest-setup.sh there. Bad plans are refused before anything is written (see docs/plan.md).',
  usage: 'se-secrets plan [OPTIONS] --output <DIR> <PLAN>',
  helpWhenEmpty: true,
  positionals: [{ key: 'plan', name: 'PLAN', required: true, help: 'The plan file; paths in it are relative to it.' }],
  options: [
    { key: 'output', long: 'output', short: 'o', kind: 'single', value: 'DIR', help: 'Directory for the requests, pvapconfig.yaml, guest-setup.sh and manifest.json (created if missing).' },
    {
      key: 'outputSecrets', long: 'output-secrets', kind: 'single', value: 'DIR2',
      help: "Also write each association secret's value (32 bytes, mode 0600) to DIR2, which must differ from DIR. Without it the values exist only inside the requests.",
    },
    {
      key: 'attest', long: 'attest', kind: 'flag',
      help: 'Phase 1 of an attested plan: write an attestation request for the plan\'s host keys to DIR and its protection key (mode 0600) to DIR2, and a guest-setup.sh that runs pvattest perform; no secret yet. Needs --output-secrets.',
    },
    {
      key: 'cuid', long: 'cuid', kind: 'single', value: 'FILE',
      help: 'Phase 2: bind every request to the guest instance whose CUID FILE holds (the YAML attest verify -o writes, or 16 raw bytes).',
    },
    verifyTime,
    { key: 'force', long: 'force', short: 'f', kind: 'flag', help: 'Allow running on an IBM Secure Execution guest.' },
    verbose,
    quiet,
  ],
  required: ['output'],
  conflicts: [['attest', 'cuid']],
  requires: [['attest', 'outputSecrets']],
};

const decrypt: CommandSpec = {
  name: 'decrypt',
  summary: 'Decrypt a request with a host private key (lab hosts) or the customer key.',
  description: "For lab and test hosts whose host private key is at hand, and for known-answer vectors whose customer private key is known. Decryption authenticates the whole request (AES-256-GCM over every byte). The secret value and the extension secret are printed only with --show-secret. A signed request's user-data signature is not checked here (that needs the user's certificate).",
  usage: 'se-secrets decrypt [OPTIONS] <--host-key-private <KEY>|--customer-private-key <KEY> --host-key-document <HKD>> <REQUEST>',
  helpWhenEmpty: true,
  positionals: [{ key: 'request', name: 'REQUEST', required: true, help: 'The add-secret request.' }],
  options: [
    { key: 'hostKeyPrivate', long: 'host-key-private', kind: 'single', value: 'KEY', help: "The host's P-521 private key (PKCS#8 or SEC 1, PEM or DER)." },
    {
      key: 'customerPrivateKey', long: 'customer-private-key', kind: 'single', value: 'KEY',
      help: "The request's customer private key (PKCS#8, SEC 1, or a raw 66- or 80-byte scalar); needs --host-key-document.",
    },
    { key: 'hostKeyDocument', long: 'host-key-document', kind: 'single', value: 'HKD', help: "The host-key document of one of the request's hosts." },
    { key: 'showSecret', long: 'show-secret', kind: 'flag', help: 'Also print the secret value and extension secret.' },
    verbose,
    quiet,
  ],
  oneOf: [['hostKeyPrivate', 'customerPrivateKey']],
  conflicts: [['hostKeyPrivate', 'hostKeyDocument']],
  requires: [['customerPrivateKey', 'hostKeyDocument'], ['hostKeyDocument', 'customerPrivateKey']],
};

const diff: CommandSpec = {
  name: 'diff',
  summary: 'Compare two requests field by field, apart from the random fields.',
  description: 'Every request has its own random customer key, protection key and IV, so two requests built from the same inputs (by se-secrets and by pvsecret create, say) differ in the customer public key, each key slot\'s wrapped key and tag, the IV, the ciphertext and the request tag. diff reports those as random by design and everything else (sizes, flags, SE-header binding, CUID, user data, host-key hashes, secret type, length and id) as a real difference.\n\nExit status (as diff(1)): 0 if only random-by-design fields differ, 1 if there are real differences, 2 on errors (usage errors included). -v lists equal fields too; -q prints nothing.',
  usage: 'se-secrets diff [OPTIONS] <A> <B>',
  helpWhenEmpty: true,
  errorExitCode: 2,
  positionals: [
    { key: 'a', name: 'A', required: true, help: 'First request.' },
    { key: 'b', name: 'B', required: true, help: 'Second request.' },
  ],
  options: [verbose, quiet],
};

const completion: CommandSpec = {
  name: 'completion',
  summary: 'Print a shell completion script (bash, zsh or fish).',
  description: 'Prints a completion script for SHELL, generated from the command tree. bash: eval "$(se-secrets completion bash)" or save it as /etc/bash_completion.d/se-secrets; zsh: save it as _se-secrets in a directory of $fpath, or source <(se-secrets completion zsh); fish: save it as ~/.config/fish/completions/se-secrets.fish. The package also ships them in dist/completions/.',
  usage: 'se-secrets completion <bash|zsh|fish>',
  helpWhenEmpty: true,
  positionals: [{ key: 'shell', name: 'SHELL', required: true, help: 'bash, zsh or fish.' }],
  options: [verbose, quiet],
};

// ---- attest: pvattest 2.43's create / verify / check (issue 14) ----------------------
const attestCreate: CommandSpec = {
  name: 'create', summary: 'Create an attestation request (like pvattest create).',
  description: 'Builds an attestation request for the host keys (-k), verified against the IBM Z chain of trust (--cert, --crl, --root-ca) unless --no-verify. Writes the exchange file (-o) for pvattest perform on the guest, and the attestation request protection key (--arpk, mode 0600): keep it on this trusted machine, never publish it, and destroy it after attest verify.',
  usage: 'se-secrets attest create [OPTIONS] --host-key-document <FILE> --output <FILE> --arpk <FILE> <--no-verify|--cert <FILE>>',
  helpWhenEmpty: true,
  options: [
    ...certificateOptions,
    { key: 'output', long: 'output', short: 'o', kind: 'single', value: 'FILE', help: 'Write the request (exchange format) to FILE.' },
    { key: 'arpk', long: 'arpk', short: 'a', kind: 'single', value: 'FILE', help: 'Write the protection key (32 bytes, unencrypted, mode 0600) to FILE. Do not publish it.' },
    {
      key: 'addData', long: 'add-data', kind: 'list', value: 'FLAGS', choices: ['phkh-img', 'phkh-att', 'secret-store-hash', 'firmware-state'],
      help: 'Additional data the Ultravisor is to measure and return (repeatable, comma list): phkh-img, phkh-att, secret-store-hash, firmware-state.',
    },
    verbose, quiet,
  ],
  required: ['hostKeyDocuments', 'output', 'arpk'],
  oneOf: certificateConstraints.oneOf,
  requires: certificateConstraints.requires,
};
const attestVerify: CommandSpec = {
  name: 'verify', summary: 'Verify an attestation response (like pvattest verify).',
  description: 'Checks the measurement in the response (-i) that pvattest perform wrote on the guest, with the protection key (--arpk) and the SE header of the attested image (--hdr), and prints the guest\'s configuration unique ID (CUID). Exit status: 0 verified, 1 error, 2 the measurement differs (not the guest expected). -o writes the result as YAML; its cuid entry is what create --cuid reads.',
  usage: 'se-secrets attest verify [OPTIONS] --input <FILE> --hdr <FILE> --arpk <FILE>',
  helpWhenEmpty: true,
  options: [
    { key: 'input', long: 'input', short: 'i', kind: 'single', value: 'FILE', help: 'The attestation response.' },
    { key: 'output', long: 'output', short: 'o', kind: 'single', value: 'FILE', help: 'Write the verification result (YAML) to FILE.' },
    { key: 'hdr', long: 'hdr', kind: 'single', value: 'FILE', help: 'The SE image or extracted SE header of the attested guest.' },
    { key: 'arpk', long: 'arpk', short: 'a', kind: 'single', value: 'FILE', help: 'The protection key attest create wrote. Destroy it after verification.' },
    { key: 'format', long: 'format', kind: 'single', value: 'FORMAT', choices: ['yaml'], help: 'Output format (only yaml).' },
    { key: 'userData', long: 'user-data', short: 'u', kind: 'single', value: 'FILE', help: 'Write the verified user data to FILE (a warning when there is none).' },
    verbose, quiet,
  ],
  required: ['input', 'hdr', 'arpk'],
};
const checkIo = inputOutput(
  { name: 'IN', help: 'The attestation response.' },
  { name: 'OUT', value: 'FILE', help: 'Where to write the check result.', required: true },
);
const attestCheck: CommandSpec = {
  name: 'check', summary: 'Check an attestation response against policies (like pvattest check).',
  description: 'Checks a verified attestation response (run attest verify first: check does not verify the measurement) against policies and writes the result (YAML) to OUT. Exit status: 0 every policy holds, 1 error, 2 a policy fails.',
  usage: 'se-secrets attest check [OPTIONS] <IN|--input <FILE>> <OUT|--output <FILE>>',
  helpWhenEmpty: true,
  ...checkIo.constraints,
  options: [
    checkIo.input,
    checkIo.output,
    { key: 'format', long: 'format', kind: 'single', value: 'FORMAT', choices: ['yaml'], help: 'Output format (only yaml).' },
    { key: 'hostKeyDocuments', long: 'host-key-document', short: 'k', kind: 'list', value: 'FILE', help: 'A host-key document whose hash the response must hold (repeatable, comma list).' },
    {
      key: 'hostKeyCheck', long: 'host-key-check', kind: 'list', value: 'HOST_KEY_CHECKS', choices: ['att-key-hash', 'boot-key-hash'],
      help: 'Also fail when the response lacks the attestation (att-key-hash) or image (boot-key-hash) host-key hash. Needs -k.',
    },
    { key: 'userData', long: 'user-data', short: 'u', kind: 'single', value: 'FILE', help: 'The user data the response must hold.' },
    { key: 'secret', long: 'secret', kind: 'list', value: 'FILE', help: 'An add-secret request the guest accepted, in the order it was added (repeatable, comma list). Needs --secret-store-locked.' },
    { key: 'secretStoreLocked', long: 'secret-store-locked', kind: 'single', value: 'BOOL', choices: ['true', 'false'], help: "Check the secret-store hash, with the store's lock state." },
    {
      key: 'firmware', long: 'firmware', kind: 'flag',
      help: "Ask IBM's firmware verification service whether the firmware state in the response (attest create --add-data firmware-state) is valid. Needs internet access.",
    },
    {
      key: 'firmwareCheckVersion', long: 'firmware-check-version', aliases: ['fw-ver'], kind: 'single', value: 'VERSION', choices: ['1', '2'],
      help: 'The API version of the firmware verification service (default 1). Needs --firmware.',
    },
    {
      key: 'firmwareVerifyUrl', long: 'firmware-verify-url', kind: 'single', value: 'URL',
      help: 'The firmware verification service to ask instead of IBM\'s (use one you trust). Needs --firmware.',
    },
    verbose, quiet,
  ],
  requires: [['hostKeyCheck', 'hostKeyDocuments'], ['secret', 'secretStoreLocked'], ['firmwareCheckVersion', 'firmware'], ['firmwareVerifyUrl', 'firmware']],
};
const guestOnly = (name: string, summary: string, aliases?: string[]): CommandSpec => ({
  name, summary, hidden: true, passthrough: true, options: [], ...(aliases ? { aliases } : {}),
});

const attest: CommandSpec = {
  name: 'attest', summary: 'Attest an SE guest: create, verify and check (like pvattest).',
  description: 'The trusted-workstation side of pvattest 2.43: create an attestation request, verify the response pvattest perform wrote on the guest, check it against policies. The guest side (perform) needs the Ultravisor: run pvattest perform there.',
  usage: 'se-secrets attest <COMMAND>',
  helpWhenEmpty: true,
  subcommandRequired: true,
  options: [verbose, quiet],
  subcommands: [attestCreate, attestVerify, attestCheck, guestOnly('perform', 'pvattest perform')],
};

export const ROOT: CommandSpec = {
  name: 'se-secrets',
  summary: 'Build, inspect and verify IBM Secure Execution add-secret requests.',
  description: 'Build, inspect and verify IBM Secure Execution add-secret requests, byte-compatible with pvsecret 2.43. The create and verify commands take the same options as pvsecret create and pvsecret verify.',
  usage: 'se-secrets [OPTIONS] <COMMAND>',
  helpWhenEmpty: true,
  subcommandRequired: true,
  options: [
    verbose,
    quiet,
    { key: 'version', long: 'version', kind: 'flag', help: 'Print version information.' },
    help,
  ],
  subcommands: [
    create, verify, inspect, extractHeader, verifyHkd, plan, decrypt, diff, completion,
    attest,
    { name: 'version', summary: 'Print version information.', hidden: true, options: [] },
    guestOnly('add', 'pvsecret add'),
    guestOnly('list', 'pvsecret list'),
    guestOnly('lock', 'pvsecret lock'),
    guestOnly('retrieve', 'pvsecret retrieve', ['retr']),
  ],
};

/** The pvsecret subcommands that only run on an SE guest. */
export const GUEST_ONLY_COMMANDS = ['add', 'list', 'lock', 'retrieve'];

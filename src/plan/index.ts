/**
 * AP association plans: the workstation side of Crypto Express AP pass-through for SE guests.
 *
 * @module
 */

export { type GuestScriptOptions, guestSetupScript, shellQuote } from './guest-script.js';
export { GUEST_INSTALL_DIR, guestSetupUnit } from './guest-unit.js';
export { type HostMatrix, MDEV_UUID_NAMESPACE, mdevUuidFor } from './host-matrix.js';
export { hostdevXml, hostSetupScript } from './host-script.js';
export { type ManifestFile, type ManifestQueue, PLAN_FILES, PLAN_MANIFEST_FORMAT, type PlanManifest } from './manifest.js';
export { parseAssociationPlan } from './parse.js';
export { type PlanFile, type PlanOptions, type PlanResult, planAssociations, resolvePlanPath } from './plan.js';
export { type PvapconfigEntry, pvapconfigEntries, pvapconfigYaml } from './pvapconfig.js';
export { type AssociationPlan, MAX_PLAN_QUEUES, type NormalizedPlan, type NormalizedQueue, type PlanQueue, parseApqn, validatePlan } from './validate.js';

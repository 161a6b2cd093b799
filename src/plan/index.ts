/**
 * AP association plans: the workstation side of Crypto Express AP pass-through for SE guests.
 *
 * @module
 */
export { planAssociations, resolvePlanPath, type PlanOptions, type PlanFile, type PlanResult } from './plan.js';
export { parseAssociationPlan } from './parse.js';
export { validatePlan, parseApqn, MAX_PLAN_QUEUES, type AssociationPlan, type PlanQueue, type NormalizedPlan, type NormalizedQueue } from './validate.js';
export { pvapconfigYaml, pvapconfigEntries, type PvapconfigEntry } from './pvapconfig.js';
export { guestSetupScript, shellQuote } from './guest-script.js';
export { PLAN_FILES, PLAN_MANIFEST_FORMAT, type PlanManifest, type ManifestQueue, type ManifestFile } from './manifest.js';

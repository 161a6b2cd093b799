/**
 * Attestation of an IBM Secure Execution guest (pvattest create / verify / check).
 *
 * @module
 */
export {
  type AttestationFlags,
  type AttestationRequestInfo,
  parseAttestationRequest,
  looksLikeAttestationRequest,
} from './arcb.js';
export {
  createAttestationRequest,
  type CreateAttestationRequestOptions,
  type CreatedAttestationRequest,
  type AttestationDeterministicInputs,
} from './create.js';
export {
  parseAttestationExchange,
  encodeAttestationExchange,
  isAttestationExchange,
  isExchangeResponse,
  type AttestationExchange,
  type ExchangeEntry,
} from './exchange.js';
export { attestationMeasurement, type AttestationMeasurementOptions } from './measurement.js';
export {
  verifyAttestation,
  readAttestationResponse,
  decodeAdditionalData,
  type VerifyAttestationOptions,
  type AttestationResult,
  type AdditionalData,
} from './verify.js';
export {
  checkAttestation,
  secretStoreHash,
  type CheckAttestationOptions,
  type CheckAttestationResult,
  type HostKeyCheckResult,
  type HostKeyCheckPolicy,
} from './check.js';
export {
  checkFirmware,
  firmwareCheckRequest,
  FIRMWARE_CHECK_ENDPOINT,
  type FirmwareCheckOptions,
  type FirmwareCheckVersion,
  type FirmwareCheckHttpRequest,
  type FirmwareCheckHttpResponse,
  type FirmwareVerdict,
  type PostFirmwareCheck,
} from './firmware.js';
export { attestationResultYaml, checkResultYaml } from './yaml.js';

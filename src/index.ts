/**
 * Typed client for the cable test of the HPE Aruba Networking Central
 * network-troubleshooting API on AOS-S switches. This entry point imports no Node built-in
 * module, so it runs on Node.js 18.18 or later and on any runtime with `fetch`.
 *
 * @module aruba-central-troubleshooting
 */
export { createTroubleshootingClient } from './client.js';
export type { TokenSource, TroubleshootingClient, TroubleshootingClientOptions } from './client.js';
export { DEFAULT_TOKEN_URL } from './auth.js';
export type { ClientCredentials } from './auth.js';
export { CLUSTERS, CLUSTER_HOSTS, clusterBaseUrl } from './clusters.js';
export type { CentralCluster } from './clusters.js';
export { DEFAULT_WAIT_TIMEOUT_MS } from './cable-test.js';
export type {
  CableTestProgress,
  CableTestRef,
  CableTestResult,
  CableTestState,
  CableTestStatus,
  CableTestTarget,
  RequestOptions,
  StartedCableTest,
  WaitOptions,
} from './cable-test.js';
export { pairVerdict, parseLengthMetres, summarizeCableTest } from './summary.js';
export type {
  CablePairStatus,
  CableTestSummary,
  CableVerdict,
  PairSummary,
  PortSummary,
  SummarizableCableTest,
} from './summary.js';
export {
  AuthenticationError,
  BadRequestError,
  CableTestFailedError,
  CentralApiError,
  CentralError,
  ConflictError,
  ConnectionError,
  DeviceOfflineError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnexpectedResponseError,
  WaitTimeoutError,
} from './errors.js';
export type { ApiErrorDetails, OperationContext } from './errors.js';
export type { Logger } from './logger.js';
export type {
  CableTestOutput,
  CableTestPortResult,
  CablePairDiagnostic,
} from '../generated/types.gen.js';

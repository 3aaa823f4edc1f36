import { InvalidArgumentError } from './errors.js';
import { describeValue } from './validate.js';

/**
 * API gateway host of each Central cluster, by the name this package gives it (the
 * cluster's name in Central, in lower case with dashes).
 */
export const CLUSTER_HOSTS = {
  'eu-1': 'de1.api.central.arubanetworks.com',
  'eu-central-2': 'de2.api.central.arubanetworks.com',
  'eu-central-3': 'de3.api.central.arubanetworks.com',
  'us-1': 'us1.api.central.arubanetworks.com',
  'us-2': 'us2.api.central.arubanetworks.com',
  'us-west-4': 'us4.api.central.arubanetworks.com',
  'us-west-5': 'us5.api.central.arubanetworks.com',
  'us-east-1': 'us6.api.central.arubanetworks.com',
  'canada-1': 'ca1.api.central.arubanetworks.com',
  'apac-1': 'in.api.central.arubanetworks.com',
  'apac-east-1': 'jp1.api.central.arubanetworks.com',
  'apac-south-1': 'au1.api.central.arubanetworks.com',
  internal: 'internal.api.central.arubanetworks.com',
} as const;

/** Name of a Central cluster, such as `us-west-4`. */
export type CentralCluster = keyof typeof CLUSTER_HOSTS;

/** Names of all known clusters. */
export const CLUSTERS = Object.keys(CLUSTER_HOSTS) as CentralCluster[];

/** Returns the base URL of a cluster, such as `https://us4.api.central.arubanetworks.com`. */
export function clusterBaseUrl(cluster: unknown): string {
  if (typeof cluster !== 'string' || !Object.hasOwn(CLUSTER_HOSTS, cluster)) {
    throw new InvalidArgumentError(
      'cluster',
      `Invalid cluster ${describeValue(cluster)}: expected one of ${CLUSTERS.join(', ')}, or pass baseUrl for another deployment.`,
    );
  }
  return `https://${CLUSTER_HOSTS[cluster as CentralCluster]}`;
}

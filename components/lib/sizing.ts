/**
 * Subnet sizing for runner NICs. One IP per runner; GitHub advises peak concurrency plus 30 %
 * (docs.github.com, "Configuring private networking ... in your enterprise", subnet note), and
 * Azure reserves five addresses in every subnet (Azure VNET FAQ). Integer arithmetic only, so
 * 1.3 x n never picks up floating-point error.
 */

export const AZURE_RESERVED_ADDRESSES_PER_SUBNET = 5;
/** Buffer over peak concurrency, in percent. */
export const RUNNER_BUFFER_PERCENT = 30;
/** Azure's smallest IPv4 subnet (VNET FAQ). */
export const SMALLEST_SUBNET_PREFIX = 29;

/**
 * Addresses a subnet must have for `runners` concurrent runners: ceil(1.3 x runners) + 5, or with
 * another buffer (in percent) where a policy is configured with one.
 */
export function addressesNeeded(runners: number, bufferPercent: number = RUNNER_BUFFER_PERCENT): number {
  const buffered = Math.ceil((runners * (100 + bufferPercent)) / 100);
  return buffered + AZURE_RESERVED_ADDRESSES_PER_SUBNET;
}

/** Longest IPv4 prefix (smallest subnet) that holds `runners`, never smaller than a /29. */
export function prefixLengthFor(runners: number): number {
  const needed = addressesNeeded(runners);
  const hostBits = Math.ceil(Math.log2(needed));
  // log2 of an exact power of two can land a hair above the integer; correct for it.
  const exactBits = 2 ** (hostBits - 1) >= needed ? hostBits - 1 : hostBits;
  return Math.min(SMALLEST_SUBNET_PREFIX, 32 - exactBits);
}

/** Concurrent runners an IPv4 subnet of this prefix length holds with the 30 % buffer kept free. */
export function runnerCapacity(prefixLength: number): number {
  const usable = 2 ** (32 - prefixLength) - AZURE_RESERVED_ADDRESSES_PER_SUBNET;
  return Math.max(0, Math.floor((usable * 100) / (100 + RUNNER_BUFFER_PERCENT)));
}

/**
 * A NAT gateway public IP carries up to 50,000 concurrent connections to one destination (and
 * 64,512 SNAT ports in all): learn.microsoft.com, "Azure NAT Gateway", performance and SNAT
 * sections. Runners mostly talk to the same few GitHub endpoints, so that figure is the limit.
 */
export const NAT_CONNECTIONS_PER_IP_PER_DESTINATION = 50_000;
/**
 * What one runner is assumed to hold open to a single endpoint at its busiest: parallel artifact,
 * cache and container-layer transfers use tens of connections each. An assumption, not a
 * documented figure; set natGatewayPublicIpCount to decide otherwise.
 */
export const CONNECTIONS_PER_RUNNER = 100;
/** So one public IP serves this many runners: 50,000 / 100. */
export const RUNNERS_PER_NAT_PUBLIC_IP = NAT_CONNECTIONS_PER_IP_PER_DESTINATION / CONNECTIONS_PER_RUNNER;

/** The NAT gateway's default public IP count for a subnet of this runner capacity, within Azure's 1-16. */
export function natPublicIpsFor(capacity: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, Math.ceil(capacity / RUNNERS_PER_NAT_PUBLIC_IP)));
}

/**
 * Azure network security group limits and fixed facts. Sources: Azure subscription and service
 * limits (networking, Azure Resource Manager) and "Network security groups overview" on
 * learn.microsoft.com (copies in shared/reference/azure-nsg-vnet-excerpts.md).
 */

/** Security rules per NSG, both directions together. */
export const MAX_RULES_PER_NSG = 1000;
/** Addresses and ranges per NSG, counted separately for sources and destinations, per direction. */
export const MAX_PREFIXES_PER_DIRECTION = 4000;
export const MIN_PRIORITY = 100;
export const MAX_PRIORITY = 4096;
/** Rule names: up to 80 word characters, '.', '-' or '_', starting with a word character and ending with one (or '_'). */
export const RULE_NAME_PATTERN = /^\w(?:[\w.-]{0,78}\w)?$/;

export const PROTOCOLS = ["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export const DIRECTIONS = ["Inbound", "Outbound"] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const ACCESSES = ["Allow", "Deny"] as const;
export type Access = (typeof ACCESSES)[number];


/**
 * ARM resource IDs of the landing-zone resources a runner network connects to: the hub VNET and
 * private DNS zones (`/subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>`).
 */

export interface ArmResourceRef {
  subscriptionId: string;
  resourceGroupName: string;
  name: string;
}

/** A resource type's ID shape, with an example for messages. */
export interface ArmIdKind {
  what: string;
  providerType: string;
  example: string;
}

export const VIRTUAL_NETWORK_ID: ArmIdKind = {
  what: "a virtual network resource ID",
  providerType: "Microsoft.Network/virtualNetworks",
  example: "/subscriptions/<subscription-id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>",
};

export const PRIVATE_DNS_ZONE_ID: ArmIdKind = {
  what: "a private DNS zone resource ID",
  providerType: "Microsoft.Network/privateDnsZones",
  example: "/subscriptions/<subscription-id>/resourceGroups/<group>/providers/Microsoft.Network/privateDnsZones/<zone>",
};

/** The parts of an ID of that kind, or undefined when it is not one (ARM compares IDs without regard to case). */
export function parseArmId(id: string, kind: ArmIdKind): ArmResourceRef | undefined {
  const match =
    /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([-\p{L}\p{N}_.()]{1,90})\/providers\/([^/]+\/[^/]+)\/([^/]{1,260})$/iu.exec(
      id.trim(),
    );
  if (!match || match[3].toLowerCase() !== kind.providerType.toLowerCase()) return undefined;
  return { subscriptionId: match[1], resourceGroupName: match[2], name: match[4] };
}

/** A landing-zone stack config for the stack tests: three spokes on one hub firewall policy. */
export const HUB = "22222222-2222-2222-2222-222222222222";
const POLICY = `/subscriptions/${HUB}/resourceGroups/hub-rg/providers/Microsoft.Network/firewallPolicies/hub-policy`;
const spoke = (name: string, octet: number, priority: number) => ({
  name,
  location: "eastus",
  addressSpace: `10.${octet}.0.0/16`,
  maxConcurrentRunners: 50,
  egress: "firewall",
  firewallPrivateIp: "10.0.1.4",
  firewallPolicyId: POLICY,
  firewallRuleCollectionGroupPriority: priority,
});
export const landingZoneConfig = (subscription: string) => ({
  "azure-github-runner-network:github": JSON.stringify({ businessId: "42", scope: "organization", slug: "acme" }),
  "azure-github-runner-network:networks": JSON.stringify([spoke("a", 60, 2000), spoke("b", 61, 2100), spoke("c", 62, 2200)]),
  "azure-native:subscriptionId": subscription,
});
export const stackProgram = async () => ({ ...(await import("../../infra/index")) });

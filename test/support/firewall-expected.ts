/** The rule collections a runner subnet's group must hold, spelled out once for the firewall tests. */
export function expectedRuleCollections(
  subnet: string,
  level: "exact" | "standard" | "wildcard",
  metaPath: string,
  targetFqdns: readonly string[],
  extraDomains = false,
) {
  return [
    {
      ruleCollectionType: "FirewallPolicyFilterRuleCollection",
      name: "github-runners-azure-storage",
      priority: 100,
      action: { type: "Allow" },
      rules: [
        {
          ruleType: "NetworkRule",
          name: "azure-storage-https",
          description: "Actions logs, artifacts, caches and job summaries in Azure Storage",
          sourceAddresses: [subnet],
          destinationAddresses: ["Storage"],
          destinationPorts: ["443"],
          ipProtocols: ["TCP"],
        },
      ],
    },
    {
      ruleCollectionType: "FirewallPolicyFilterRuleCollection",
      name: "github-runners-github-domains",
      priority: 200,
      action: { type: "Allow" },
      rules: [
        {
          ruleType: "ApplicationRule",
          name: `github-${level}-domains-https`,
          description: `GitHub's ${metaPath} from the meta endpoint, hosts GitHub documents for runners${extraDomains ? ", your extraDomains" : ""}`,
          sourceAddresses: [subnet],
          protocols: [{ protocolType: "Https", port: 443 }],
          targetFqdns: [...targetFqdns],
        },
      ],
    },
  ];
}

/** README's GHE.com example plans offline as it stands (its own file: one plan per process). */
import { describe, expect, it } from "vitest";
import { planExample } from "../support/readme-examples";

describe("README's GHE.com example", async () => {
  const outcome = await planExample("ghecom");
  const resources = outcome.report.resources;
  const named = (name: string) => resources.find((r) => r.name === name)!;
  const rule = (nsg: string, ruleName: string) =>
    (named(nsg).inputs.securityRules as { name: string; destinationAddressPrefixes?: string[] }[]).find((r) => r.name === ruleName);

  it("puts networks in the geography's regions, GPU runners where GHE.com offers them", () => {
    expect([named("sweden").inputs.location, named("gpu-italy").inputs.location, named("gpu-italy").inputs.runnerPlatforms]).toEqual([
      "swedencentral",
      "italynorth",
      ["gpu"],
    ]);
  });

  it("allows the EU's GHE.com ranges in the NSG instead of github.com's /meta ranges", () => {
    const ranges = rule("sweden-nsg", "AllowGheComIPv4HttpsOutbound")!.destinationAddressPrefixes!;
    expect(ranges).toEqual(expect.arrayContaining(["108.143.197.176/28", "20.240.211.208/28", "74.241.192.231/32", "192.30.252.0/22"]));
    expect(rule("sweden-nsg", "AllowGitHubIPv4HttpsOutbound")).toBeUndefined();
  });

  it("lets the enterprise's hosts through the hub firewall, with the extraDomains", () => {
    const group = named("gpu-italy-firewall-rules").inputs as { ruleCollections: { rules: { targetFqdns?: string[] }[] }[] };
    expect(group.ruleCollections[1].rules[0].targetFqdns).toEqual([
      "*.blob.core.windows.net",
      "*.data.mcr.microsoft.com",
      "*.githubassets.com",
      "*.githubusercontent.com",
      "*.octocorp.ghe.com",
      "*.web.core.windows.net",
      "auth.ghe.com",
      "github.com",
      "login.microsoftonline.com",
      "mcr.microsoft.com",
      "octocorp.ghe.com",
    ]);
  });

  it("creates the network configuration through the enterprise's own API", () => {
    const configuration = resources.find((r) => r.type.endsWith("GitHubNetworkConfiguration"))!;
    expect([configuration.inputs.apiUrl, configuration.inputs.scope, configuration.inputs.slug]).toEqual([
      "https://api.octocorp.ghe.com",
      "enterprise",
      "octocorp",
    ]);
  });

  it("reports the enterprise's hosts, and says the rules rest on GitHub's page until the enterprise's /meta is snapshotted", () => {
    expect(outcome.report.egress.sweden.requirements.slice(0, 2)).toEqual([
      {
        purpose: "Essential operations (the enterprise)",
        host: "octocorp.ghe.com",
        verdict: "allowed",
        rule: "AllowGheComIPv4HttpsOutbound",
      },
      {
        purpose: "Essential operations (the enterprise)",
        host: "api.octocorp.ghe.com",
        verdict: "allowed",
        rule: "AllowGheComIPv4HttpsOutbound",
      },
    ]);
    expect(outcome.warnings).toEqual([
      'warning: networks "sweden", "gpu-italy": no snapshot of https://api.octocorp.ghe.com/meta is committed: the NSG ranges and firewall hosts are the ones GitHub\'s GHE.com page lists; run `npm run endpoints -- update --data-residency octocorp` to add the enterprise\'s own lists (the weekly workflow then keeps them current)',
    ]);
    expect(outcome.report.policy.violations).toEqual([]);
  });
});

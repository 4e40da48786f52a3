/** The stack configs README shows as examples plan offline as they stand (in process: one plan per file). */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planStack } from "../../cli/plan";
import { ownProject } from "../../cli/stack-file";
import { REPO } from "../support/cli";

/** The fenced YAML block after `<!-- example: NAME -->` in README.md. */
function readmeExample(name: string): string {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no example ${name}`);
  return match[1];
}

describe("README's landing-zone example", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "agrn-readme-")), "Pulumi.landing-zone.yaml");
  writeFileSync(file, readmeExample("landing-zone"));
  const outcome = await planStack(file, { project: ownProject() });
  if (outcome.kind !== "planned") throw new Error(JSON.stringify(outcome));
  const resources = outcome.report.resources;
  const named = (name: string) => resources.find((r) => r.name === name)!;

  it("writes both rule collection groups in the hub's subscription, one after the other", () => {
    const provider = resources.find((r) => r.type === "pulumi:providers:azure-native")!;
    expect([provider.name, provider.inputs.subscriptionId]).toEqual([
      "firewall-policy-subscription-22222222-2222-2222-2222-222222222222",
      "22222222-2222-2222-2222-222222222222",
    ]);
    expect([named("spoke-east-firewall-rules").provider, named("spoke-central-firewall-rules").provider]).toEqual([
      provider.urn,
      provider.urn,
    ]);
    expect(named("spoke-central-firewall-rules").dependencies).toContain(named("spoke-east-firewall-rules").urn);
  });

  it("peers each spoke with the hub, gives it the hub's DNS and links the zone", () => {
    expect(named("spoke-east-to-hub").inputs.remoteVirtualNetwork).toEqual({
      id: "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet",
    });
    expect(named("spoke-central-vnet").inputs.dhcpOptions).toEqual({ dnsServers: ["10.0.0.4"] });
    expect(named("spoke-east-dns-link-1").inputs.privateZoneName).toBe("privatelink.blob.core.windows.net");
    expect(outcome.report.policy.violations).toEqual([]);
  });
});

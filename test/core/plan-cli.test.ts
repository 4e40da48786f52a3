import { describe, expect, it } from "vitest";
import { runCli, writeStackFile } from "../support/cli";

const HEADER = `config:
  azure-github-runner-network:github:
    businessId: "12345678"
    scope: organization
    slug: my-org
`;
const network = (lines: string) => `${HEADER}  azure-github-runner-network:networks:\n${lines}`;

describe("npm run plan (offline plan CLI)", () => {
  it("plans the example stack in human form", async () => {
    const result = await runCli(["plan"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Offline plan of azure-github-runner-network/example (Pulumi.example.yaml)");
    expect(lines).toContain("  ├─ primary  (azure-github-runner-network:index:GitHubRunnerNetwork)");
    expect(lines).toContain('Network "primary" in eastus');
    expect(lines).toContain("  Subnet     10.40.0.0/24: 256 addresses, holds 193 concurrent runners (asked 100, plus 30 % buffer and 5 reserved addresses)");
    expect(lines).toContain("  Egress     NAT gateway with 1 static public IP");
    expect(lines).toContain("  networks.failover.role = failover");
    expect(lines[lines.length - 2]).toBe("Policy: no violations.");
  });

  it("prints the JSON contract, byte-identical from one run to the next", async () => {
    const [first, second] = await Promise.all([runCli(["plan", "--json"]), runCli(["plan", "--json"])]);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout);
    expect(Object.keys(report)).toEqual(["project", "stack", "resources", "outputs", "policy"]);
    expect([report.project, report.stack]).toEqual(["azure-github-runner-network", "example"]);
    for (const resource of report.resources) {
      expect(Object.keys(resource).slice(0, 5)).toEqual(["type", "name", "parent", "inputs", "dependencies"]);
    }
    const stack = report.resources[0];
    expect([stack.type, stack.name, stack.parent]).toEqual(["pulumi:pulumi:Stack", "azure-github-runner-network-example", null]);
    const settings = report.resources.find((r: { name: string }) => r.name === "primary-network-settings");
    expect(settings.inputs.properties.businessId).toBe("12345678");
    expect(settings.parent).toBe(report.resources.find((r: { name: string }) => r.name === "primary").urn);
    expect(Object.keys(report.outputs)).toEqual(["gitHub", "networks", "nextSteps"]);
    expect(report.outputs.networks.primary.runnerCapacity).toBe(193);
    expect(report.policy).toEqual({ violations: [] });
  });

  // Independent child processes: run them side by side.
  it.concurrent.each([
    ["missing businessId", `config:\n  azure-github-runner-network:github: { scope: organization, slug: o }\n  azure-github-runner-network:networks: [{ name: a, location: eastus, maxConcurrentRunners: 5 }]\n`, "github.businessId: required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)"],
    ["non-digit businessId", network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n").replace('"12345678"', "my-org"), 'github.businessId: "my-org" is not allowed; use digits only'],
    ["unknown region", network("    - { name: a, location: westeurope, maxConcurrentRunners: 5 }\n"), 'networks[0].location: "westeurope" is not a region GitHub supports for Azure private networking; allowed: australiaeast'],
    ["platform the region lacks", network("    - { name: a, location: brazilsouth, maxConcurrentRunners: 5, runnerPlatforms: [gpu] }\n"), "networks[0].runnerPlatforms: brazilsouth has no gpu runners"],
    ["malformed CIDR", network("    - { name: a, location: eastus, addressSpace: 10.40.0.0/40, maxConcurrentRunners: 5 }\n"), 'networks[0].addressSpace: "10.40.0.0/40" has prefix length 40; IPv4 allows 0-32'],
    ["host bits set", network("    - { name: a, location: eastus, addressSpace: 10.40.0.0/16, subnetPrefix: 10.40.0.9/24 }\n"), 'networks[0].subnetPrefix: "10.40.0.9/24" has host bits set; the network address is 10.40.0.0/24'],
    ["subnet outside the space", network("    - { name: a, location: eastus, addressSpace: 10.40.0.0/16, subnetPrefix: 10.99.0.0/24 }\n"), "networks[0].subnetPrefix: 10.99.0.0/24 is outside addressSpace 10.40.0.0/16"],
    ["overlapping networks", network("    - { name: a, location: eastus, addressSpace: 10.40.0.0/16, maxConcurrentRunners: 5 }\n    - { name: b, location: westus2, addressSpace: 10.40.0.0/20, maxConcurrentRunners: 5 }\n"), "networks[1].addressSpace: 10.40.0.0/20 overlaps networks[0].addressSpace 10.40.0.0/16"],
    ["subnet too small", network("    - { name: a, location: eastus, subnetPrefix: 10.0.0.0/26, maxConcurrentRunners: 100 }\n"), "networks[0].subnetPrefix: 10.0.0.0/26 holds 45 runners; maxConcurrentRunners 100 needs 135 addresses"],
    ["neither prefix nor runners", network("    - { name: a, location: eastus }\n"), "networks[0].maxConcurrentRunners: give maxConcurrentRunners (the subnet is sized for it) or subnetPrefix"],
    ["firewall without private IP", network("    - { name: a, location: eastus, maxConcurrentRunners: 5, egress: firewall }\n"), 'networks[0].firewallPrivateIp: required when egress is "firewall"'],
    ["NAT IP count out of range", network("    - { name: a, location: eastus, maxConcurrentRunners: 5, natGatewayPublicIpCount: 17 }\n"), "networks[0].natGatewayPublicIpCount: 17 is out of range; allowed: whole numbers 1-16"],
    ["duplicate names", network("    - { name: a, location: eastus, addressSpace: 10.1.0.0/16, maxConcurrentRunners: 5 }\n    - { name: a, location: westus2, addressSpace: 10.2.0.0/16, maxConcurrentRunners: 5 }\n"), 'networks[1].name: "a" is already used by networks[0]; names must be unique'],
    ["two failovers", network("    - { name: a, location: eastus, addressSpace: 10.1.0.0/16, maxConcurrentRunners: 5 }\n    - { name: b, location: westus2, addressSpace: 10.2.0.0/16, maxConcurrentRunners: 5, role: failover }\n    - { name: c, location: westus3, addressSpace: 10.3.0.0/16, maxConcurrentRunners: 5, role: failover }\n"), "networks[2].role: networks[1] is already the failover; at most one network may have role failover"],
    ["empty tag key", network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") + '  azure-github-runner-network:tags: { "": x }\n', 'tags[""]: tag names must not be empty'],
    ["empty tag value", network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") + '  azure-github-runner-network:tags: { owner: "" }\n', "tags.owner: empty value; allowed: 1-256 characters"],
    ["tag value too long", network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") + `  azure-github-runner-network:tags: { owner: ${"v".repeat(300)} }\n`, "tags.owner: value is 300 characters; Azure allows 256"],
    ["colliding rule priorities", network("    - name: a\n      location: eastus\n      maxConcurrentRunners: 5\n      extraSecurityRules:\n        - { name: r1, direction: Outbound, access: Allow, priority: 500 }\n        - { name: r2, direction: Outbound, access: Allow, priority: 500 }\n"), "networks[0].extraSecurityRules[1].priority: 500 (Outbound) collides with extraSecurityRules[0]"],
    ["rule priority out of range", network("    - name: a\n      location: eastus\n      maxConcurrentRunners: 5\n      extraSecurityRules:\n        - { name: r1, direction: Inbound, access: Deny, priority: 5000 }\n"), "networks[0].extraSecurityRules[0].priority: 5000 is outside Azure's range; allowed: whole numbers 100-4096"],
    ["unknown key", network("    - { name: a, location: eastus, maxConcurrentRunners: 5, zone: 1 }\n"), "networks[0].zone: unknown key; allowed: name, role, location,"],
    ["unknown namespace key", network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") + "  azure-github-runner-network:network: x\n", "network: unknown key; allowed: github, githubToken, networks, tags"],
  ])("%s: exit 2, the key named, nothing planned", async (_, yaml, expected) => {
    const result = await runCli(["plan", "--config", writeStackFile(yaml)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    expect(lines[0]).toMatch(/Pulumi\.test\.yaml: invalid config, nothing was planned$/);
    expect(lines.some((line) => line.startsWith(`  ${expected}`))).toBe(true);
    expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });

  it.concurrent.each([["plan"], ["endpoints", "check"], ["doctor"]])("%s ... --help prints the usage and exits 0", async (...command) => {
    const result = await runCli([...command, "--help"]);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(result.stdout.split("\n")[0]).toBe("usage: azure-github-runner-network <command> [options]");
  });

  it.concurrent.each([
    [["plan", "--config", "/nonexistent/Pulumi.x.yaml"], "cannot read /nonexistent/Pulumi.x.yaml: ENOENT"],
    [["plan", "--config", writeStackFile("config: [\n")], "is not valid YAML"],
    [["plan", "--bogus"], "Unknown option '--bogus'"],
    [["frobnicate"], 'unknown command "frobnicate"'],
  ])("%j: exit 2 with a one-line reason", async (args, expected) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });
});

/**
 * End to end: `npm run plan` (cli/main.ts) over a user's own program written with raw
 * azure-native resources (--program), as a fork pull request's CI runs it without credentials.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli";

const USER_STACK = join("test", "support", "fixtures", "user-stack");

const plan = (...args: string[]) => runCli(["plan", ...args]);

function policyFile(config: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "policy-config-")), "policy-config.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const urn = (type: string, name: string) => `urn:pulumi:open::user-runner-network::pulumi:pulumi:Stack$${type}::${name}`;
const OPEN_STACK_VIOLATIONS = [
  {
    policy: "runner-nsg-denies-inbound",
    enforcementLevel: "mandatory",
    message:
      'rule "AllowSshFromInternet" (priority 100) of network security group runners allows inbound traffic from Internet; GitHub never needs inbound connections to runners',
    resource: urn("azure-native:network:NetworkSecurityGroup", "runners"),
  },
  {
    policy: "runner-nsg-denies-inbound",
    enforcementLevel: "mandatory",
    message:
      "network security group runners has no rule that denies all inbound traffic; Azure's default rules AllowVNetInBound (65000) and AllowAzureLoadBalancerInBound (65001) still let traffic in, so add a Deny rule for any source, destination, port and protocol",
    resource: urn("azure-native:network:NetworkSecurityGroup", "runners"),
  },
  {
    policy: "runner-outbound-not-wide-open",
    enforcementLevel: "mandatory",
    message:
      "network security group runners has no outbound rule that denies the internet, so Azure's default rule AllowInternetOutBound (priority 65001) lets runners reach any internet address on any port",
    resource: urn("azure-native:network:NetworkSecurityGroup", "runners"),
  },
  {
    policy: "runner-subnet-explicit-egress",
    enforcementLevel: "mandatory",
    message:
      "subnet runners has default outbound access turned off and no explicit egress (a NAT gateway, or a route table with a 0.0.0.0/0 route), so runners cannot reach GitHub and jobs fail with VNetInjectionFailedToConnectToInternet; if a hub advertises the default route over BGP, list the subnet in subnetsWithEgressElsewhere",
    resource: urn("azure-native:network:Subnet", "runners"),
  },
];

describe("npm run plan --program: the policy pack offline over a user stack", () => {
  it.concurrent("a violating user stack: exit 1, every violation named in the JSON", async () => {
    const result = await plan("--program", USER_STACK, "--config", join(USER_STACK, "Pulumi.open.yaml"), "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect([report.project, report.stack]).toEqual(["user-runner-network", "open"]);
    expect(report.policy).toEqual({ violations: OPEN_STACK_VIOLATIONS });
  });

  it.concurrent("the same stack in human form names each policy and its level", async () => {
    const result = await plan("--program", USER_STACK, "--config", join(USER_STACK, "Pulumi.open.yaml"));
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    const start = lines.indexOf("Policy: 4 violations");
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, start + 5).map((line) => /^ {2}\[(\w+)\] ([a-z-]+): /.exec(line)?.slice(1, 3))).toEqual(
      OPEN_STACK_VIOLATIONS.map((v) => [v.enforcementLevel, v.policy]),
    );
  });

  it.concurrent("the compliant variant of the user stack: exit 0, no violations", async () => {
    const result = await plan("--program", USER_STACK, "--config", join(USER_STACK, "Pulumi.compliant.yaml"), "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).policy).toEqual({ violations: [] });
  });

  it.concurrent("a policy config that makes every policy advisory: exit 0, the same violations as advisory", async () => {
    const result = await plan(
      "--program",
      USER_STACK,
      "--config",
      join(USER_STACK, "Pulumi.open.yaml"),
      "--json",
      "--policy-config",
      policyFile({ all: "advisory" }),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).policy.violations).toEqual(OPEN_STACK_VIOLATIONS.map((v) => ({ ...v, enforcementLevel: "advisory" })));
  });

  it.concurrent("an invalid policy config: exit 2, every problem by key, nothing planned", async () => {
    const file = policyFile({ "runner-nsg-denies-inbound": { requireDenyAllInbound: "yes" }, "no-such-policy": "mandatory" });
    const result = await plan("--program", USER_STACK, "--policy-config", file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toEqual([
      `${file}: invalid policy config`,
      "  runner-nsg-denies-inbound.requireDenyAllInbound: must be true or false",
      expect.stringMatching(/^ {2}no-such-policy: unknown policy; allowed: all, runner-subnet-nsg-and-delegation, /),
      "",
    ]);
  });

  it.concurrent("a program path that does not exist: exit 2 with one line", async () => {
    const result = await plan("--program", "no/such/program");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("program no/such/program does not exist\n");
  });
});

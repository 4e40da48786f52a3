/**
 * The policies over stacks built with this package's component, under Pulumi's mocks: the
 * component as designed passes; weakened copies (resource transformations, as a wrapper or a
 * later edit might apply them) are caught by the policy that covers each weakness.
 */
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG } from "../../components/lib/catalog";
import { evaluatePolicies } from "../../policy/evaluate";
import { plannedResources } from "../../policy/offline";
import { runOffline } from "../support/offline";
import { violation } from "../support/policy-views";

type Props = Record<string, unknown>;
/** A transformation that rewrites the props of resources of one type (and leaves the rest alone). */
const rewrite =
  (type: string, change: (props: Props) => Props): pulumi.ResourceTransformation =>
  (args) =>
    args.type === type ? { props: change(args.props), opts: args.opts } : undefined;

describe("policies over GitHubRunnerNetwork stacks", async () => {
  const { GitHubRunnerNetwork } = await import("../../components/github-runner-network");
  const run = await runOffline(() => {
    const base = { location: "eastus", businessId: "12345678", maxConcurrentRunners: 100 };
    new GitHubRunnerNetwork("nat", { ...base, addressSpace: "10.60.0.0/16" });
    new GitHubRunnerNetwork("fw", { ...base, addressSpace: "10.61.0.0/16", egress: "firewall", firewallPrivateIp: "10.0.1.4" });
    new GitHubRunnerNetwork("lz", {
      ...base,
      existingVirtualNetwork: { name: "spoke-vnet", resourceGroupName: "network-rg" },
      subnetPrefix: "10.62.8.0/24",
      egress: "none",
    });
    new GitHubRunnerNetwork("stale", {
      ...base,
      addressSpace: "10.63.0.0/16",
      extraSecurityRules: [
        {
          name: "AllowGitHubLegacy",
          direction: "Outbound",
          access: "Allow",
          protocol: "Tcp",
          destinationAddressPrefixes: ["192.0.2.0/24"],
          destinationPortRanges: ["443"],
        },
      ],
    });
    new GitHubRunnerNetwork(
      "weak",
      { ...base, addressSpace: "10.64.0.0/16" },
      {
        transformations: [
          rewrite("azure-native:network:Subnet", (props) => ({
            ...props,
            networkSecurityGroup: undefined,
            delegations: [...(props.delegations as Props[]), { name: "web", serviceName: "Microsoft.Web/serverFarms" }],
          })),
        ],
      },
    );
    new GitHubRunnerNetwork(
      "open",
      { ...base, addressSpace: "10.65.0.0/16" },
      {
        transformations: [
          rewrite("azure-native:network:NetworkSecurityGroup", (props) => ({
            ...props,
            securityRules: [
              {
                name: "AllowRdp",
                priority: 110,
                direction: "Inbound",
                access: "Allow",
                protocol: "Tcp",
                sourceAddressPrefix: "Internet",
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
                destinationPortRange: "3389",
              },
              ...(props.securityRules as Props[]).filter((rule) => rule.name !== "DenyInternetOutbound"),
            ],
          })),
        ],
      },
    );
    new GitHubRunnerNetwork(
      "drifted",
      { ...base, addressSpace: "10.66.0.0/16" },
      {
        transformations: [
          rewrite("azure-github-runner-network:index:GitHubRunnerNetwork", (props) => ({ ...props, maxConcurrentRunners: 500 })),
        ],
      },
    );
    new GitHubRunnerNetwork(
      "moved",
      { ...base, addressSpace: "10.67.0.0/16" },
      {
        transformations: [
          rewrite("azure-native:resources:Resource", (props) => ({ ...props, apiVersion: "2023-01-01", location: "westus2" })),
        ],
      },
    );
    new GitHubRunnerNetwork(
      "implicit",
      { ...base, addressSpace: "10.68.0.0/16" },
      {
        transformations: [
          rewrite("azure-native:network:Subnet", (props) => ({ ...props, natGateway: undefined, defaultOutboundAccess: undefined })),
        ],
      },
    );
    return {};
  });
  const violations = evaluatePolicies(plannedResources(run.resources));
  const urn = (name: string) => run.byName(name).urn;
  const of = (component: string) =>
    violations
      .filter((violation) =>
        run.resources.some((r) => r.urn === violation.resource && (r.name === component || r.parent === urn(component))),
      )
      .map(({ policy, enforcementLevel, message, resource }) => ({
        policy,
        enforcementLevel,
        message,
        resource: run.resources.find((r) => r.urn === resource)!.name,
      }));

  it.each(["nat", "fw", "stale", "weak", "open", "drifted", "moved", "lz", "implicit"])(
    "%s: the component registered its resources",
    (name) => {
      expect(run.resources.filter((r) => r.parent === urn(name)).length).toBeGreaterThan(3);
    },
  );

  it("as designed, with a NAT gateway or a firewall route: no violations", () => {
    expect(of("nat")).toEqual([]);
    expect(of("fw")).toEqual([]);
  });

  it("an existing VNET with egress left to the caller: no visible egress is a mandatory violation", () => {
    expect(of("lz")).toEqual([
      violation(
        "runner-subnet-explicit-egress",
        "mandatory",
        "lz-subnet",
        "subnet lz-subnet has default outbound access turned off and no explicit egress (a NAT gateway, or a route table with a 0.0.0.0/0 route), so runners cannot reach GitHub and jobs fail with VNetInjectionFailedToConnectToInternet; if a hub advertises the default route over BGP, list the subnet in subnetsWithEgressElsewhere",
      ),
    ]);
    const accepted = evaluatePolicies(plannedResources(run.resources), {
      "runner-subnet-explicit-egress": { subnetsWithEgressElsewhere: ["lz-subnet"] },
    });
    expect(accepted.filter((violation) => violation.resource === urn("lz-subnet"))).toEqual([]);
  });

  it("a GitHub rule listing a range GitHub does not publish: advisory", () => {
    expect(of("stale")).toEqual([
      violation(
        "nsg-stale-github-ranges",
        "advisory",
        "stale-nsg",
        `rule "AllowGitHubLegacy" (priority 1000) lists 1 address GitHub no longer publishes (endpoint catalog of ${ENDPOINT_CATALOG.source.takenAt}): 192.0.2.0/24; regenerate the list from the endpoint catalog, or allow-list GitHub's domains on a firewall`,
      ),
    ]);
  });

  it("subnet without its NSG and with a second delegation", () => {
    expect(of("weak")).toEqual([
      violation(
        "runner-subnet-nsg-and-delegation",
        "mandatory",
        "weak-subnet",
        "subnet weak-subnet is delegated to GitHub.Network/networkSettings but has no network security group; GitHub cannot block inbound connections to runner NICs, so attach an NSG that denies them",
      ),
      violation(
        "runner-subnet-nsg-and-delegation",
        "mandatory",
        "weak-subnet",
        "subnet weak-subnet has 2 delegations (GitHub.Network/networkSettings, Microsoft.Web/serverFarms); a runner subnet must be delegated to GitHub.Network/networkSettings only",
      ),
    ]);
  });

  it("NSG opened to RDP from the internet and without its final outbound deny", () => {
    expect(of("open")).toEqual([
      violation(
        "runner-nsg-denies-inbound",
        "mandatory",
        "open-nsg",
        'rule "AllowRdp" (priority 110) of network security group open-nsg allows inbound traffic from Internet; GitHub never needs inbound connections to runners',
      ),
      violation(
        "runner-outbound-not-wide-open",
        "mandatory",
        "open-nsg",
        "network security group open-nsg has no outbound rule that denies the internet, so Azure's default rule AllowInternetOutBound (priority 65001) lets runners reach any internet address on any port",
      ),
    ]);
  });

  it("subnet left on Azure's default outbound access, without its NAT gateway: advisory", () => {
    expect(of("implicit")).toEqual([
      violation(
        "runner-subnet-implicit-egress",
        "advisory",
        "implicit-subnet",
        "subnet implicit-subnet has no NAT gateway or default route and relies on Azure's default outbound access, whose public IP is not predictable and which new subnets no longer get; add a NAT gateway or a route to a firewall, and set defaultOutboundAccess to false",
      ),
    ]);
  });

  it("a recorded concurrency the subnet cannot hold", () => {
    expect(of("drifted")).toEqual([
      violation(
        "runner-subnet-capacity",
        "mandatory",
        "drifted",
        "drifted: subnet 10.66.0.0/24 has 256 addresses, but 500 concurrent runners need 655 (500 plus a 30 % buffer, rounded up, plus the 5 addresses Azure reserves in every subnet)",
      ),
    ]);
  });

  it("networkSettings with an unknown API version, in another region than its VNET", () => {
    expect(of("moved")).toEqual([
      violation(
        "network-settings-properties",
        "mandatory",
        "moved-network-settings",
        'networkSettings moved-network-settings uses apiVersion "2023-01-01", which is not a known GitHub.Network/networkSettings version; known: 2024-04-02, 2024-04-01, 2024-04-01-preview',
      ),
      violation(
        "network-settings-subnet-and-region",
        "mandatory",
        "moved-network-settings",
        "networkSettings moved-network-settings is in westus2 but subnet moved-subnet belongs to virtual network moved-vnet in eastus; networkSettings must be in its virtual network's region",
      ),
    ]);
  });

  it("nothing else in the stack is reported", () => {
    const components = ["nat", "fw", "lz", "stale", "weak", "open", "drifted", "moved", "implicit"];
    expect(components.reduce((count, name) => count + of(name).length, 0)).toBe(violations.length);
  });
});

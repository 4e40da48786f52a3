/**
 * The policy pack in policy/ as Pulumi runs it (test/support/policy-pack.ts): loaded by Pulumi's
 * own launcher in a child process and driven over gRPC the way the engine does.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICY_DEFINITIONS } from "../../policy/definitions";
import { startPolicyPack, type RunningPolicyPack } from "../support/policy-pack";

const REPO = resolve(__dirname, "..", "..");
// The pack is versioned with the package.
const PACKAGE_VERSION = (JSON.parse(readFileSync(resolve(REPO, "package.json"), "utf8")) as { version: string }).version;
const PACK = resolve(REPO, "policy");

/** The SDK's marker for a string the engine does not know yet (sent as is over the wire). */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

interface Diagnostic {
  policy: string;
  level: string;
  message: string;
  urn: string;
}

let pack: RunningPolicyPack;
let pb: RunningPolicyPack["pb"];
let LEVELS: Record<number, string>;
const call = <T>(method: string, request: unknown) => pack.call<T>(method, request);

/** The SDK sends each violation as the policy's description, a line break, then the message. */
const described = (policy: string, message: string) =>
  `${POLICY_DEFINITIONS.find((definition) => definition.name === policy)!.description}\n${message}`;

function diagnostics(response: {
  getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string; getUrn(): string }[];
}): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: LEVELS[d.getEnforcementlevel()] ?? String(d.getEnforcementlevel()),
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}

/** What the pack answers for one resource; the engine fills in the URN, so the pack sends none. */
async function analyzeOne(type: string, name: string, properties: Record<string, unknown>) {
  return diagnostics(await call("analyze", analyzerResource(pb.AnalyzeRequest, type, name, properties)));
}
const mandatory = (policy: string, message: string, urn = "") => ({ policy, level: "mandatory", message: described(policy, message), urn });

function analyzerResource(Message: new () => unknown, type: string, name: string, properties: Record<string, unknown>) {
  const message = new Message() as Record<string, (value: unknown) => void>;
  message.setType(type);
  message.setName(name);
  message.setUrn(`urn:pulumi:dev::user::${type}::${name}`);
  message.setProperties(pack.Struct.fromJavaScript(properties));
  message.setOptions(new pb.AnalyzerResourceOptions());
  return message;
}

beforeAll(async () => {
  pack = await startPolicyPack(PACK, REPO);
  pb = pack.pb;
  LEVELS = { [pb.EnforcementLevel.ADVISORY]: "advisory", [pb.EnforcementLevel.MANDATORY]: "mandatory" };
}, 180_000);

afterAll(() => pack?.stop());

describe("the policy pack in a child process", () => {
  it("starts and describes itself and every policy", async () => {
    const info = await call<{
      getName(): string;
      getVersion(): string;
      getPoliciesList(): {
        getName(): string;
        getEnforcementlevel(): number;
        getConfigschema(): { getProperties(): { toJavaScript(): Record<string, unknown> } } | undefined;
      }[];
    }>("getAnalyzerInfo", new pack.Empty());
    expect([info.getName(), info.getVersion()]).toEqual(["azure-github-runner-network", PACKAGE_VERSION]);
    expect(info.getPoliciesList().map((policy) => [policy.getName(), LEVELS[policy.getEnforcementlevel()]])).toEqual([
      ["runner-subnet-nsg-and-delegation", "mandatory"],
      ["runner-nsg-denies-inbound", "mandatory"],
      ["runner-outbound-not-wide-open", "mandatory"],
      ["runner-subnet-explicit-egress", "mandatory"],
      ["runner-subnet-implicit-egress", "advisory"],
      ["network-settings-properties", "mandatory"],
      ["network-settings-subnet-and-region", "mandatory"],
      ["runner-subnet-capacity", "mandatory"],
      ["nsg-stale-github-ranges", "advisory"],
    ]);
    // Protobuf maps carry no order: compare the property names sorted.
    const schemas = info
      .getPoliciesList()
      .map((policy) => Object.keys(policy.getConfigschema()?.getProperties().toJavaScript() ?? {}).sort());
    expect(schemas).toEqual(POLICY_DEFINITIONS.map((definition) => Object.keys(definition.configSchema.properties).sort()));
    expect(schemas[1]).toEqual(["forbiddenInboundSources", "requireDenyAllInbound", "trustExternalResources"]);
  });

  it("flags a delegated subnet without an NSG, as the engine sends it before creating it", async () => {
    const subnet = {
      resourceGroupName: "rg",
      virtualNetworkName: UNKNOWN_STRING,
      addressPrefix: "10.0.0.0/24",
      delegations: [{ name: "github", serviceName: "GitHub.Network/networkSettings" }],
      natGateway: { id: UNKNOWN_STRING },
    };
    expect(await analyzeOne("azure-native:network:Subnet", "runners", subnet)).toEqual([
      mandatory(
        "runner-subnet-nsg-and-delegation",
        "subnet runners is delegated to GitHub.Network/networkSettings but has no network security group; GitHub cannot block inbound connections to runner NICs, so attach an NSG that denies them",
      ),
    ]);
  });

  it("keeps a value not known during preview mandatory instead of the SDK's advisory skip", async () => {
    const settings = {
      resourceGroupName: "rg",
      resourceProviderNamespace: "GitHub.Network",
      resourceType: "networkSettings",
      apiVersion: "2024-04-02",
      location: "eastus",
      properties: { businessId: UNKNOWN_STRING, subnetId: UNKNOWN_STRING },
    };
    expect(await analyzeOne("azure-native:resources:Resource", "settings", settings)).toEqual([
      mandatory(
        "network-settings-properties",
        "cannot verify until known: the businessId of networkSettings settings is computed during deployment, so this policy cannot approve it yet",
      ),
    ]);
  });

  it("checks the stack: follows the subnet's NSG through its property dependency while IDs are unknown", async () => {
    const nsg = analyzerResource(pb.AnalyzerResource, "azure-native:network:NetworkSecurityGroup", "nsg", {
      id: UNKNOWN_STRING,
      location: "eastus",
      securityRules: [
        {
          name: "AllowRdp",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: "3389",
        },
      ],
    });
    const subnet = analyzerResource(pb.AnalyzerResource, "azure-native:network:Subnet", "runners", {
      delegations: [{ name: "github", serviceName: "GitHub.Network/networkSettings" }],
      networkSecurityGroup: { id: UNKNOWN_STRING },
      natGateway: { id: UNKNOWN_STRING },
      defaultOutboundAccess: false,
    }) as unknown as {
      setDependenciesList(urns: string[]): void;
      getPropertydependenciesMap(): { set(key: string, value: unknown): void };
    };
    const nsgUrn = "urn:pulumi:dev::user::azure-native:network:NetworkSecurityGroup::nsg";
    subnet.setDependenciesList([nsgUrn]);
    subnet.getPropertydependenciesMap().set("networkSecurityGroup", new pb.AnalyzerPropertyDependencies().setUrnsList([nsgUrn]));
    const request = new pb.AnalyzeStackRequest();
    request.setResourcesList([nsg, subnet]);
    expect(diagnostics(await call("analyzeStack", request))).toEqual([
      mandatory(
        "runner-nsg-denies-inbound",
        'rule "AllowRdp" (priority 100) of network security group nsg allows inbound traffic from *; GitHub never needs inbound connections to runners',
        nsgUrn,
      ),
      mandatory(
        "runner-nsg-denies-inbound",
        "network security group nsg has no rule that denies all inbound traffic; Azure's default rules AllowVNetInBound (65000) and AllowAzureLoadBalancerInBound (65001) still let traffic in, so add a Deny rule for any source, destination, port and protocol",
        nsgUrn,
      ),
      mandatory(
        "runner-outbound-not-wide-open",
        "network security group nsg has no outbound rule that denies the internet, so Azure's default rule AllowInternetOutBound (priority 65001) lets runners reach any internet address on any port",
        nsgUrn,
      ),
    ]);
  });

  it("wrote nothing to stderr", () => {
    expect(pack.stderr()).toBe("");
  });
});

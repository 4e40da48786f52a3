/** Policy levels and settings (the --policy-pack-config form), the offline evaluator, and the SDK adapter's handling of unknowns. */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { POLICY_DEFINITIONS } from "../../policy/definitions";
import { enforcementLevelOf, evaluatePolicies, policyConfigProblems, type PlannedResource } from "../../policy/evaluate";
import { materialize, policies } from "../../policy/index";
import { normalizeValue, plannedResources } from "../../policy/offline";
import { UNKNOWN, type ResourceView } from "../../policy/model";
import { nsg, rule, runnerSubnet, urnOf } from "../support/policy-views";

/** The SDK's own proxy and unknown markers, as the pack receives resources during a preview. */
const sdk = createRequire(require.resolve("@pulumi/policy"))("./proxy") as {
  unknownCheckingProxy: <T>(value: T) => T;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
};

const NAMES = POLICY_DEFINITIONS.map((definition) => definition.name);

describe("policy config problems", () => {
  const inbound = "runner-nsg-denies-inbound";
  it.each<[string, unknown, string[]]>([
    ["empty", {}, []],
    ["every policy advisory", { all: "advisory" }, []],
    ["one policy disabled", { [inbound]: "disabled" }, []],
    [
      "level and settings",
      { [inbound]: { enforcementLevel: "advisory", requireDenyAllInbound: false, forbiddenInboundSources: ["Internet"] } },
      [],
    ],
    ["not a map", ["advisory"], ["(root): must be a map of policy names to an enforcement level or settings"]],
    ["unknown policy", { "no-such-policy": "mandatory" }, [`no-such-policy: unknown policy; allowed: all, ${NAMES.join(", ")}`]],
    ["remediate is not offered", { all: "remediate" }, ['all: "remediate" is not allowed; allowed: advisory, mandatory, disabled']],
    [
      "bad level in settings",
      { [inbound]: { enforcementLevel: "strict" } },
      [`${inbound}.enforcementLevel: "strict" is not allowed; allowed: advisory, mandatory, disabled`],
    ],
    [
      "a number as settings",
      { [inbound]: 3 },
      [`${inbound}: must be an enforcement level (advisory, mandatory, disabled) or a map of settings`],
    ],
    [
      "unknown setting",
      { [inbound]: { colour: "red" } },
      [
        `${inbound}.colour: unknown setting; allowed: enforcementLevel, requireDenyAllInbound, forbiddenInboundSources, trustExternalResources`,
      ],
    ],
    [
      "boolean setting given a string",
      { [inbound]: { requireDenyAllInbound: "yes" } },
      [`${inbound}.requireDenyAllInbound: must be true or false`],
    ],
    [
      "list setting given a string",
      { [inbound]: { forbiddenInboundSources: "Internet" } },
      [`${inbound}.forbiddenInboundSources: must be a list of strings`],
    ],
    [
      "integer setting out of range",
      { "runner-subnet-capacity": { bufferPercent: -1 } },
      ["runner-subnet-capacity.bufferPercent: must be a whole number 0-1000"],
    ],
    [
      "integer setting with a fraction",
      { "runner-subnet-capacity": { bufferPercent: 1.5 } },
      ["runner-subnet-capacity.bufferPercent: must be a whole number 0-1000"],
    ],
    ["null", null, ["(root): must be a map of policy names to an enforcement level or settings"]],
    ["a number for all", { all: 3 }, ["all: 3 is not allowed; allowed: advisory, mandatory, disabled"]],
    [
      "a list setting with a number in it",
      { [inbound]: { forbiddenInboundSources: ["Internet", 0] } },
      [`${inbound}.forbiddenInboundSources: must be a list of strings`],
    ],
    [
      "several problems, in the order the config lists them",
      { [inbound]: { colour: "red", requireDenyAllInbound: "yes" }, "no-such-policy": "mandatory", all: "strict" },
      [
        `${inbound}.colour: unknown setting; allowed: enforcementLevel, requireDenyAllInbound, forbiddenInboundSources, trustExternalResources`,
        `${inbound}.requireDenyAllInbound: must be true or false`,
        `no-such-policy: unknown policy; allowed: all, ${NAMES.join(", ")}`,
        'all: "strict" is not allowed; allowed: advisory, mandatory, disabled',
      ],
    ],
  ])("%s", (_, config, expected) => {
    expect(policyConfigProblems(config)).toEqual(expected);
  });
});

describe("enforcement levels", () => {
  const [shape, , , , implicit] = POLICY_DEFINITIONS;
  it.each<[string, Record<string, unknown>, string, string]>([
    ["defaults", {}, "mandatory", "advisory"],
    ["all", { all: "advisory" }, "advisory", "advisory"],
    ["own level over all", { all: "disabled", [shape.name]: "mandatory" }, "mandatory", "disabled"],
    ["own level in settings", { [implicit.name]: { enforcementLevel: "mandatory" } }, "mandatory", "mandatory"],
  ])("%s", (_, config, shapeLevel, implicitLevel) => {
    expect([enforcementLevelOf(shape, config), enforcementLevelOf(implicit, config)]).toEqual([shapeLevel, implicitLevel]);
  });
});

describe("evaluatePolicies", () => {
  const planned = (views: ResourceView[]): PlannedResource[] => views.map((view) => ({ inputs: view, outputs: view }));
  // Subnet without NSG delegated twice; an NSG in the stack that allows SSH in is attached to another runner subnet.
  const resources = planned([
    runnerSubnet("bare", {
      networkSecurityGroup: undefined,
      delegations: [
        { name: "a", serviceName: "GitHub.Network/networkSettings" },
        { name: "b", serviceName: "Microsoft.Web/serverFarms" },
      ],
    }),
    runnerSubnet("runners"),
    nsg("nsg", [
      rule("AllowSsh", 100, "Inbound", "Allow", { sourceAddressPrefix: "Internet", destinationPortRange: "22" }),
      rule("DenyAllInbound", 4096, "Inbound", "Deny"),
      rule("DenyOut", 4096, "Outbound", "Deny", { destinationAddressPrefix: "Internet" }),
    ]),
  ]);
  const bare = urnOf("Subnet", "bare");
  const shape = [
    {
      policy: "runner-subnet-nsg-and-delegation",
      enforcementLevel: "mandatory",
      resource: bare,
      message:
        "subnet bare is delegated to GitHub.Network/networkSettings but has no network security group; GitHub cannot block inbound connections to runner NICs, so attach an NSG that denies them",
    },
    {
      policy: "runner-subnet-nsg-and-delegation",
      enforcementLevel: "mandatory",
      resource: bare,
      message:
        "subnet bare has 2 delegations (GitHub.Network/networkSettings, Microsoft.Web/serverFarms); a runner subnet must be delegated to GitHub.Network/networkSettings only",
    },
  ];
  const inbound = {
    policy: "runner-nsg-denies-inbound",
    enforcementLevel: "mandatory",
    resource: urnOf("NetworkSecurityGroup", "nsg"),
    message:
      'rule "AllowSsh" (priority 100) of network security group nsg allows inbound traffic from Internet; GitHub never needs inbound connections to runners',
  };

  it("reports each policy's findings at its default level, in policy order", () => {
    expect(evaluatePolicies(resources)).toEqual([...shape, inbound]);
  });

  it("applies levels and settings from the policy config", () => {
    const config = { "runner-subnet-nsg-and-delegation": "advisory", "runner-nsg-denies-inbound": { forbiddenInboundSources: ["*"] } };
    expect(evaluatePolicies(resources, config)).toEqual(shape.map((violation) => ({ ...violation, enforcementLevel: "advisory" })));
    expect(evaluatePolicies(resources, { all: "disabled" })).toEqual([]);
  });
});

describe("the pack's reading of values the engine does not know yet", () => {
  it("turns the SDK's unknown markers into UNKNOWN and copies the rest", () => {
    const props = sdk.unknownCheckingProxy({
      location: "eastus",
      subnetId: sdk.unknownStringValue,
      delegations: sdk.unknownArrayValue,
      nested: { rules: [{ name: "a", priority: 100 }, sdk.unknownObjectValue], empty: null },
    });
    expect(() => props.subnetId).toThrow("can't be known during preview");
    expect(materialize(props)).toEqual({
      location: "eastus",
      subnetId: UNKNOWN,
      delegations: UNKNOWN,
      nested: { rules: [{ name: "a", priority: 100 }, UNKNOWN], empty: null },
    });
  });

  const policy = <T>(name: string) => policies.find((candidate) => candidate.name === name) as T;
  const noConfig = () => ({});

  it("reports an unknown businessId as a violation at the policy's level, not as a skipped policy", () => {
    const reported: string[] = [];
    const args = {
      type: "azure-native:resources:Resource",
      urn: "urn:pulumi:dev::p::azure-native:resources:Resource::settings",
      name: "settings",
      props: sdk.unknownCheckingProxy({
        resourceProviderNamespace: "GitHub.Network",
        resourceType: "networkSettings",
        apiVersion: "2024-04-02",
        properties: { businessId: sdk.unknownStringValue, subnetId: sdk.unknownStringValue },
      }),
      opts: { parent: undefined },
      getConfig: noConfig,
    } as unknown as ResourceValidationArgs;
    const validate = policy<ResourceValidationPolicy>("network-settings-properties").validateResource as (
      a: ResourceValidationArgs,
      r: (m: string) => void,
    ) => void;
    validate(args, (message) => reported.push(message));
    expect(reported).toEqual([
      "cannot verify until known: the businessId of networkSettings settings is computed during deployment, so this policy cannot approve it yet",
    ]);
    expect(policy<ResourceValidationPolicy>("network-settings-properties").enforcementLevel).toBe("mandatory");
  });

  it("follows property dependencies between stack resources whose IDs are not known yet", async () => {
    const reported: [string, string | undefined][] = [];
    const nsgResource = {
      type: "azure-native:network:NetworkSecurityGroup",
      urn: "urn:pulumi:dev::p::azure-native:network:NetworkSecurityGroup::nsg",
      name: "nsg",
      props: sdk.unknownCheckingProxy({ id: sdk.unknownStringValue, securityRules: [rule("DenyAllInbound", 4096, "Inbound", "Deny")] }),
      dependencies: [],
      propertyDependencies: {},
    };
    const subnetResource = {
      type: "azure-native:network:Subnet",
      urn: "urn:pulumi:dev::p::azure-native:network:Subnet::runners",
      name: "runners",
      props: sdk.unknownCheckingProxy({
        delegations: [{ serviceName: "GitHub.Network/networkSettings" }],
        networkSecurityGroup: { id: sdk.unknownStringValue },
        defaultOutboundAccess: false,
        natGateway: { id: sdk.unknownStringValue },
      }),
      dependencies: [nsgResource],
      propertyDependencies: { networkSecurityGroup: [nsgResource] },
    };
    const args = { resources: [nsgResource, subnetResource], getConfig: noConfig } as unknown as StackValidationArgs;
    const validate = policy<StackValidationPolicy>("runner-outbound-not-wide-open").validateStack;
    await validate(args, (message, urn) => reported.push([message, urn]));
    expect(reported).toEqual([
      [
        "network security group nsg has no outbound rule that denies the internet, so Azure's default rule AllowInternetOutBound (priority 65001) lets runners reach any internet address on any port",
        "urn:pulumi:dev::p::azure-native:network:NetworkSecurityGroup::nsg",
      ],
    ]);
  });
});

describe("the offline plan's reading of recorded resources", () => {
  it("turns Pulumi's unknown marker and the plan's secret placeholder into UNKNOWN, and unwraps secrets", () => {
    const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
    expect(
      normalizeValue({ id: pulumi.unknown, businessId: "[secret]", tags: secret({ owner: "platform" }), list: [pulumi.unknown, "a"] }, [
        "[secret]",
      ]),
    ).toEqual({
      id: UNKNOWN,
      businessId: UNKNOWN,
      tags: { owner: "platform" },
      list: [UNKNOWN, "a"],
    });
  });

  it("gives resource policies the inputs and stack policies the outputs", () => {
    const [planned] = plannedResources([
      { urn: "urn:x", type: "t", name: "n", parent: null, inputs: { a: 1 }, outputs: { a: 1, id: "/id" }, dependencies: ["urn:y"] },
    ]);
    expect(planned).toEqual({
      inputs: { urn: "urn:x", type: "t", name: "n", props: { a: 1 }, parent: undefined, dependencies: ["urn:y"], propertyDependencies: {} },
      outputs: {
        urn: "urn:x",
        type: "t",
        name: "n",
        props: { a: 1, id: "/id" },
        parent: undefined,
        dependencies: ["urn:y"],
        propertyDependencies: {},
      },
    });
  });
});

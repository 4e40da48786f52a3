/**
 * Multi-language reuse: `pulumi package add` on this repository runs Pulumi's TypeScript component
 * analyzer (@pulumi/pulumi/provider/experimental/analyzer) over it to infer the schema that
 * Python, Go, C#, Java and YAML SDKs are generated from. This runs the same analyzer, from the
 * repository root with the real package.json, and checks what it infers for GitHubRunnerNetwork.
 *
 * Descriptions (the JSDoc of each argument) are checked for presence, not wording.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Analyzer, type PropertyDefinition, type TypeDefinition } from "@pulumi/pulumi/provider/experimental/analyzer";

const REPO = resolve(__dirname, "..", "..");
const TOKEN = "azure-github-runner-network:index";
const ref = (name: string) => ({ $ref: `#/types/${TOKEN}:${name}` });
const enumOf = (name: string, members: [string, string][]) => ({
  name,
  type: "string",
  enum: members.map(([member, value]) => ({ name: member, value })),
});
const same = (...names: string[]) => names.map((name): [string, string] => [name, name]);

/** A property definition without its description, nested definitions included. */
function shape(property: PropertyDefinition): PropertyDefinition {
  const { description: _description, ...rest } = property;
  return {
    ...rest,
    ...(rest.items ? { items: shape(rest.items) } : {}),
    ...(rest.additionalProperties ? { additionalProperties: shape(rest.additionalProperties) } : {}),
  };
}
const shapes = (properties: Record<string, PropertyDefinition> = {}) =>
  Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, shape(property)]));
function typeShape(definition: TypeDefinition) {
  const { description: _description, properties, ...rest } = definition;
  return properties ? { ...rest, properties: shapes(properties) } : rest;
}

describe("Pulumi's component analyzer over this repository", () => {
  const analyze = () => {
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    return new Analyzer(REPO, manifest.name, manifest, new Set(["GitHubRunnerNetwork"])).analyze();
  };
  let result: ReturnType<typeof analyze>;
  beforeAll(() => {
    result = analyze();
  }, 120_000);

  it("finds the component from the plugin entry point (index.ts), with no other package's types", () => {
    expect(Object.keys(result.components)).toEqual(["GitHubRunnerNetwork"]);
    expect(result.dependencies).toEqual([]);
  });

  it("infers the inputs: plain where the component decides at construction, Input where outputs may flow in", () => {
    const plain = { plain: true };
    const optional = { optional: true };
    expect(shapes(result.components.GitHubRunnerNetwork.inputs)).toEqual({
      location: { type: "string", ...plain },
      businessId: { type: "string" },
      resourceGroupName: { type: "string", ...optional },
      addressSpace: { type: "string", ...optional, ...plain },
      existingVirtualNetwork: { ...ref("ExistingVirtualNetworkArgs"), ...optional, ...plain },
      subnetPrefix: { type: "string", ...optional, ...plain },
      maxConcurrentRunners: { type: "number", ...optional, ...plain },
      runnerPlatforms: { type: "array", items: { ...ref("RunnerPlatform"), ...plain }, ...optional, ...plain },
      egress: { ...ref("EgressMode"), ...optional, ...plain },
      natGatewayPublicIpCount: { type: "number", ...optional, ...plain },
      firewallPrivateIp: { type: "string", ...optional },
      outbound: { ...ref("OutboundMode"), ...optional, ...plain },
      extraSecurityRules: { type: "array", items: { ...ref("ExtraSecurityRule"), ...plain }, ...optional, ...plain },
      tags: { type: "object", additionalProperties: { type: "string" }, ...optional },
      registerResourceProvider: { type: "boolean", ...optional, ...plain },
      firewallPolicyId: { type: "string", ...optional },
      domainAllowList: { ...ref("DomainLevel"), ...optional, ...plain },
      extraDomains: { type: "array", items: { type: "string", ...plain }, ...optional, ...plain },
      firewallRuleCollectionGroupPriority: { type: "number", ...optional, ...plain },
      hubVirtualNetworkId: { type: "string", ...optional },
      hubSidePeering: { type: "boolean", ...optional, ...plain },
      useHubGateway: { type: "boolean", ...optional, ...plain },
      dnsServers: { type: "array", items: { type: "string", ...plain }, ...optional, ...plain },
      privateDnsZoneIds: { type: "array", items: { type: "string" }, ...optional, ...plain },
      acceptUnlistedRegion: { type: "boolean", ...optional, ...plain },
      dataResidency: { ...ref("DataResidency"), ...optional, ...plain },
    });
    const undocumented = Object.entries(result.components.GitHubRunnerNetwork.inputs).filter(([, property]) => !property.description);
    expect(undocumented.map(([name]) => name)).toEqual([]);
  });

  it("infers the outputs", () => {
    expect(shapes(result.components.GitHubRunnerNetwork.outputs)).toEqual({
      gitHubId: { type: "string" },
      networkSettingsId: { type: "string" },
      subnetId: { type: "string" },
      virtualNetworkId: { type: "string" },
      networkSecurityGroupId: { type: "string" },
      resourceGroupName: { type: "string" },
      egressPublicIpAddresses: { type: "array", items: { type: "string" } },
      runnerCapacity: { type: "number" },
    });
  });

  it("turns the string-literal choices into enums and the nested arguments into object types", () => {
    const plain = { plain: true };
    const strings = { type: "array", items: { type: "string", ...plain }, optional: true, ...plain };
    expect(Object.fromEntries(Object.entries(result.typeDefinitions).map(([name, definition]) => [name, typeShape(definition)]))).toEqual({
      ExistingVirtualNetworkArgs: {
        name: "ExistingVirtualNetworkArgs",
        type: "object",
        properties: { name: { type: "string" }, resourceGroupName: { type: "string" } },
      },
      RunnerPlatform: enumOf("RunnerPlatform", same("x64", "arm64", "gpu")),
      EgressMode: enumOf("EgressMode", same("natGateway", "firewall", "none")),
      OutboundMode: enumOf("OutboundMode", same("restricted", "https")),
      ExtraSecurityRule: {
        name: "ExtraSecurityRule",
        type: "object",
        properties: {
          name: { type: "string", ...plain },
          description: { type: "string", optional: true, ...plain },
          priority: { type: "number", optional: true, ...plain },
          direction: { ...ref("Direction"), ...plain },
          access: { ...ref("Access"), ...plain },
          protocol: { ...ref("Protocol"), optional: true, ...plain },
          sourceAddressPrefixes: strings,
          sourcePortRanges: strings,
          destinationAddressPrefixes: strings,
          destinationPortRanges: strings,
          sourceAddressPrefix: { type: "string", optional: true, ...plain },
          sourcePortRange: { type: "string", optional: true, ...plain },
          destinationAddressPrefix: { type: "string", optional: true, ...plain },
          destinationPortRange: { type: "string", optional: true, ...plain },
        },
      },
      Direction: enumOf("Direction", same("Inbound", "Outbound")),
      Access: enumOf("Access", same("Allow", "Deny")),
      Protocol: enumOf("Protocol", [...same("Tcp", "Udp", "Icmp", "Esp", "Ah"), ["Any", "*"]]),
      DomainLevel: enumOf("DomainLevel", same("exact", "standard", "wildcard")),
      DataResidency: {
        name: "DataResidency",
        type: "object",
        properties: { subdomain: { type: "string", ...plain }, geography: { ...ref("GheComGeography"), ...plain } },
      },
      GheComGeography: enumOf("GheComGeography", same("eu", "australia", "us", "japan")),
    });
  });
});

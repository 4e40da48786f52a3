/** Shared test data for the Azure tests: a fixed sign-in, a subscription, and an emulator in a known state. */
import type { AccessToken, TokenCredential } from "@azure/identity";
import type { SubnetResource, VirtualNetwork } from "../../cli/doctor-arm";
import { ArmEmulator, BUILT_IN_ROLES, type EmulatorState } from "./arm-emulator";

export const SUBSCRIPTION = "4b1d7c1e-0c5a-4c8e-9d63-1f3f4f0c2a11";
export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const USER_OBJECT_ID = "9a3e5c1d-2b4f-4e6a-8c7d-0f1e2d3c4b5a";

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A JWT-shaped token with fixed claims; its signature part is a marker the tests look for in output. */
export const TOKEN = [
  base64url({ typ: "JWT", alg: "RS256" }),
  base64url({ aud: "https://management.azure.com", oid: USER_OBJECT_ID, tid: TENANT, upn: "alice@contoso.example" }),
  "c2VjcmV0LXNpZ25hdHVyZS1kby1ub3QtcHJpbnQ",
].join(".");

/** Every fragment of the token that must never appear in output (each part is distinctive). */
export const TOKEN_PARTS = TOKEN.split(".");

/** A test double for @azure/identity's credentials: always the same token, and counts its calls. */
export function fixedCredential(token = TOKEN): TokenCredential & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getToken(scopes: string | string[]): Promise<AccessToken> {
      calls.push(([] as string[]).concat(scopes).join(" "));
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3600_000 });
    },
  };
}

/** Length of the shortest piece of a token that counts as printing it (a cut can leave any piece). */
const FRAGMENT = 10;

/** No part of `token`, nor any FRAGMENT characters of it in a row, is in any of `texts`. */
export function expectNoTokenIn(token: string, ...texts: string[]): void {
  for (const text of texts) {
    for (const part of token.split(".").filter((p) => p.length >= FRAGMENT)) {
      if (text.includes(part)) throw new Error(`output contains part of the token: ${part}`);
    }
    for (let start = 0; start + FRAGMENT <= token.length; start++) {
      const piece = token.slice(start, start + FRAGMENT);
      if (text.includes(piece)) throw new Error(`output contains ${FRAGMENT} characters of the token: ${piece}`);
    }
  }
}

export function expectNoToken(...texts: string[]): void {
  expectNoTokenIn(TOKEN, ...texts);
}

export const instantSleep = { sleep: () => Promise.resolve(), random: () => 0.5 };

/** Subnet in ARM's shape. */
export function subnet(
  vnetId: string,
  name: string,
  prefix: string,
  extra: Record<string, unknown> = {},
): SubnetResource & Record<string, unknown> {
  // ARM also sends provisioningState and type, which this package does not read.
  const properties = { addressPrefix: prefix, provisioningState: "Succeeded", ...extra };
  return { id: `${vnetId}/subnets/${name}`, name, type: "Microsoft.Network/virtualNetworks/subnets", properties };
}

/** Virtual network in ARM's shape, with its subnets inline as ARM returns them. */
export function vnet(
  group: string,
  name: string,
  location: string,
  prefixes: string[],
  subnets: (id: string) => SubnetResource[] = () => [],
): VirtualNetwork & Record<string, unknown> {
  const id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/${name}`;
  const properties = { addressSpace: { addressPrefixes: prefixes }, subnets: subnets(id), provisioningState: "Succeeded" };
  return { id, name, type: "Microsoft.Network/virtualNetworks", location, properties };
}

/** Display names as ARM reports them for GitHub.Network/networkSettings. */
export const ARM_LOCATIONS = [
  "Australia Central",
  "Australia East",
  "Brazil South",
  "Canada Central",
  "Canada East",
  "Central US",
  "East Asia",
  "East US",
  "East US 2",
  "France Central",
  "Germany West Central",
  "Italy North",
  "Japan East",
  "Japan West",
  "Korea Central",
  "North Central US",
  "North Europe",
  "Norway East",
  "South Central US",
  "Southeast Asia",
  "South India",
  "Sweden Central",
  "Switzerland North",
  "UK South",
  "UK West",
  "West US",
  "West US 2",
  "West US 3",
];

/** A subscription where everything is in order for Pulumi.example.yaml (eastus and westus2, 10.40/16 and 10.41/16). */
export function healthyState(): Partial<EmulatorState> & Pick<EmulatorState, "token"> {
  return {
    token: TOKEN,
    subscriptions: { [SUBSCRIPTION]: { displayName: "Platform", state: "Enabled", tenantId: TENANT } },
    providers: {
      "GitHub.Network": { registrationState: "Registered", networkSettingsLocations: ARM_LOCATIONS },
      "Microsoft.Network": { registrationState: "Registered" },
    },
    roleAssignments: [
      { principalId: USER_OBJECT_ID, roleDefinitionGuid: BUILT_IN_ROLES.Contributor, scope: `/subscriptions/${SUBSCRIPTION}` },
      { principalId: USER_OBJECT_ID, roleDefinitionGuid: BUILT_IN_ROLES["Network Contributor"], scope: `/subscriptions/${SUBSCRIPTION}` },
    ],
    virtualNetworks: [vnet("rg-hub", "hub-vnet", "eastus", ["10.0.0.0/16"])],
  };
}

export function startEmulator(overrides: Partial<EmulatorState> = {}): Promise<ArmEmulator> {
  return ArmEmulator.start({ ...healthyState(), ...overrides });
}

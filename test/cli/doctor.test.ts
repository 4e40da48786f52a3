/** `doctor` end to end against the local ARM emulator: in process (runDoctor) and as a user runs the CLI. */
import { afterEach, describe, expect, it } from "vitest";
import { gitHubClientFromEnvironment, renderDoctorReport, runDoctor, type DoctorOptions, type DoctorReport } from "../../cli/doctor";
import type { SubnetResource } from "../../cli/doctor-arm";
import { UNEXPECTED_RESPONSE_HINT } from "../../components/azure/arm-client";
import type { ArmEmulator, EmulatorState } from "../support/arm-emulator";
import { BUILT_IN_ROLES, emulatedAccessToken } from "../support/arm-emulator";
import { runCli, writeProject, writeStackFile } from "../support/cli";
import { createGitHubClient, type GitHubClient } from "../../components/github/client";
import { generateAppKey } from "../support/github-app-keys";
import { GitHubEmulator, type NetworkConfigurationRecord } from "../support/github-emulator";
import {
  ARM_LOCATIONS,
  SUBSCRIPTION,
  TENANT,
  TOKEN,
  USER_OBJECT_ID,
  expectNoToken,
  expectNoTokenIn,
  fixedCredential,
  startEmulator,
  subnet,
  vnet,
} from "../support/doctor-fixtures";

const SUB = `/subscriptions/${SUBSCRIPTION}`;

const GITHUB = `  azure-github-runner-network:github:
    businessId: "12345678"
    scope: organization
    slug: my-org
`;
/** A stack file with these entries of `networks`. */
const withNetworks = (...networks: string[]) => `config:
${GITHUB}  azure-github-runner-network:networks:
${networks.join("")}`;
const PRIMARY = `    - name: primary
      location: eastus
      addressSpace: 10.40.0.0/16
      maxConcurrentRunners: 100
`;
/** A network in an existing VNET; `extra` lines go after its location. */
const lzNetwork = (extra = "") => `    - name: lz
      location: westus2
${extra}      existingVirtualNetwork:
        name: lz-vnet
        resourceGroupName: rg-lz
      subnetPrefix: 10.50.1.0/24
`;
const TWO_NEW_VNETS = withNetworks(
  PRIMARY,
  `    - name: failover
      location: westus3
      addressSpace: 10.41.0.0/16
      maxConcurrentRunners: 100
      role: failover
`,
);
const LANDING_ZONE = withNetworks(lzNetwork());

let emulator: ArmEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function doctor(yaml: string, extra: Partial<DoctorOptions> = {}) {
  const sleeps: number[] = [];
  const outcome = await runDoctor({
    configFile: writeStackFile(yaml),
    subscriptionId: SUBSCRIPTION,
    credential: fixedCredential(),
    baseUrl: emulator!.url,
    client: { sleep: (ms) => (sleeps.push(ms), Promise.resolve()), random: () => 0.5 },
    ...extra,
  });
  if (outcome.kind !== "checked") throw new Error(`expected checks, got ${JSON.stringify(outcome)}`);
  const text = renderDoctorReport(outcome.report);
  expectNoToken(text, JSON.stringify(outcome.report));
  // The header names a temp file; compare what follows it.
  return { report: outcome.report, body: text.split("\n").slice(1).join("\n"), sleeps };
}

const SIGNED_IN_LINES = [
  `ok    identity: signed in as user alice@contoso.example (object id ${USER_OBJECT_ID}, tenant ${TENANT})`,
  `ok    subscription: "Platform" (${SUBSCRIPTION}) is Enabled`,
];
/** The first eight lines for TWO_NEW_VNETS (in eastus and westus2) in the emulator's healthy subscription. */
const READY_SUBSCRIPTION_LINES = [
  ...SIGNED_IN_LINES,
  "ok    provider GitHub.Network: Registered",
  "ok    provider Microsoft.Network: Registered",
  "ok    region list: ARM and GitHub's documented lists agree (28 regions)",
  "ok    region primary: ARM offers GitHub.Network/networkSettings in eastus",
  "ok    region failover: ARM offers GitHub.Network/networkSettings in westus2",
  "ok    roles: has Contributor and Network Contributor on the subscription",
];

const statusOf = (report: DoctorReport) => report.checks.map((c) => `${c.status} ${c.check}`);

describe("doctor in a subscription that is ready", () => {
  it("passes every check and exits 0", async () => {
    emulator = await startEmulator();
    const { report, body } = await doctor(TWO_NEW_VNETS.replace("westus3", "westus2"));
    expect(body).toBe(
      [
        ...READY_SUBSCRIPTION_LINES,
        "ok    address space primary: 10.40.0.0/16 overlaps none of the subscription's 1 VNETs",
        "ok    address space failover: 10.41.0.0/16 overlaps none of the subscription's 1 VNETs",
        "10 ok, 0 warn, 0 fail",
      ].join("\n"),
    );
    expect(report.exitCode).toBe(0);
    expect(report.summary).toEqual({ ok: 10, warn: 0, fail: 0 });
    expect(emulator.calls()).toEqual([
      `GET ${SUB}?api-version=2022-12-01`,
      `GET ${SUB}/providers/GitHub.Network?api-version=2021-04-01`,
      `GET ${SUB}/providers/Microsoft.Network?api-version=2021-04-01`,
      `GET ${SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&%24filter=assignedTo%28%27${USER_OBJECT_ID}%27%29`,
      `GET ${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES.Contributor}?api-version=2022-04-01`,
      `GET ${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES["Network Contributor"]}?api-version=2022-04-01`,
      `GET ${SUB}/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01`,
    ]);
    expect(emulator.requests.every((r) => r.authorized)).toBe(true);
  });
});

describe("doctor in a fresh subscription with the classic problems", () => {
  it("reports unregistered provider, unsupported region, missing role and an overlapping VNET, each with its fix", async () => {
    emulator = await startEmulator({
      providers: {
        "GitHub.Network": { registrationState: "NotRegistered", networkSettingsLocations: ARM_LOCATIONS.filter((l) => l !== "West US 3") },
        "Microsoft.Network": { registrationState: "Registered" },
      },
      roleAssignments: [{ principalId: USER_OBJECT_ID, roleDefinitionGuid: BUILT_IN_ROLES.Contributor, scope: SUB }],
      virtualNetworks: [
        vnet("rg-hub", "hub-vnet", "eastus", ["10.40.0.0/20"]),
        vnet("rg-shared", "shared-vnet", "westus3", ["10.1.0.0/16"]),
      ],
    });
    const { report, body } = await doctor(TWO_NEW_VNETS);
    expect(body).toBe(
      [
        ...SIGNED_IN_LINES,
        "warn  provider GitHub.Network: NotRegistered: pulumi up will register it and wait (registerResourceProvider is on)",
        "      fix: nothing, if the deploying identity may register providers (Contributor or Owner); otherwise have an admin run: az provider register --namespace GitHub.Network",
        "ok    provider Microsoft.Network: Registered",
        "warn  region list: ARM does not offer westus3 (compared with GitHub's documented lists, github.com's and GHE.com's)",
        "      fix: the lists in components/lib/regions.ts and components/lib/ghecom.ts may be out of date: compare them with GitHub's supported-regions docs",
        "ok    region primary: ARM offers GitHub.Network/networkSettings in eastus",
        "fail  region failover: ARM does not offer GitHub.Network/networkSettings in westus3",
        `      fix: choose a region ARM offers: ${ARM_LOCATIONS.filter((l) => l !== "West US 3")
          .map((l) => l.replace(/\s+/g, "").toLowerCase())
          .sort()
          .join(", ")}`,
        "warn  roles: has Contributor on the subscription; GitHub's docs ask for Network Contributor as well",
        `      fix: az role assignment create --assignee-object-id ${USER_OBJECT_ID} --role "Network Contributor" --scope ${SUB}`,
        "fail  address space primary: 10.40.0.0/16 overlaps VNET hub-vnet (resource group rg-hub, eastus) 10.40.0.0/20",
        "      fix: give networks[].addressSpace a range no VNET uses, such as 10.0.0.0/16: overlapping VNETs cannot be peered or routed to each other",
        "ok    address space failover: 10.41.0.0/16 overlaps none of the subscription's 2 VNETs",
        "5 ok, 3 warn, 2 fail",
      ].join("\n"),
    );
    expect(report.exitCode).toBe(1);
  });

  it("fails the provider check when every network opts out of registration", async () => {
    emulator = await startEmulator({
      providers: {
        "GitHub.Network": { registrationState: "NotRegistered", networkSettingsLocations: ARM_LOCATIONS },
        "Microsoft.Network": { registrationState: "Registered" },
      },
    });
    const yaml = TWO_NEW_VNETS.replace("westus3", "westus2").replaceAll(
      "      maxConcurrentRunners: 100\n",
      "      maxConcurrentRunners: 100\n      registerResourceProvider: false\n",
    );
    const { report } = await doctor(yaml);
    expect(report.checks.find((c) => c.check === "provider GitHub.Network")).toEqual({
      check: "provider GitHub.Network",
      status: "fail",
      detail: "NotRegistered, and registerResourceProvider is false for every network, so pulumi up will not register it",
      fix: "run: az provider register --namespace GitHub.Network (or set registerResourceProvider: true)",
    });
    expect(report.exitCode).toBe(1);
  });
});

describe("doctor for an existing VNET (landing zone)", () => {
  const lzVnet = (subnets: (id: string) => SubnetResource[]) => vnet("rg-lz", "lz-vnet", "westus2", ["10.50.0.0/16"], subnets);
  const nic = (name: string) => ({
    id: `${SUB}/resourceGroups/rg-lz/providers/Microsoft.Network/networkInterfaces/${name}/ipConfigurations/ipconfig1`,
  });

  it("finds the subnet range taken, NICs in it, and a networkSettings already holding it", async () => {
    const heldSubnetId = `${SUB}/resourceGroups/rg-lz/providers/Microsoft.Network/virtualNetworks/lz-vnet/subnets/old-runners`;
    emulator = await startEmulator({
      roleAssignments: [{ principalId: USER_OBJECT_ID, roleDefinitionGuid: BUILT_IN_ROLES.Owner, scope: "/" }],
      virtualNetworks: [
        lzVnet((id) => [
          subnet(id, "apps", "10.50.0.0/24"),
          subnet(id, "old-runners", "10.50.1.0/24", { ipConfigurations: [nic("build-agent-nic")] }),
        ]),
      ],
      networkSettings: [
        {
          id: `${SUB}/resourceGroups/rg-old/providers/GitHub.Network/networkSettings/old-settings`,
          name: "old-settings",
          type: "GitHub.Network/networkSettings",
          location: "westus2",
          properties: { businessId: "87654321", subnetId: heldSubnetId },
          tags: { GitHubId: "0DD5E771NG5" },
        },
      ],
    });
    const { report, body } = await doctor(LANDING_ZONE);
    const lines = body.split("\n");
    expect(lines.slice(5)).toEqual([
      "ok    region lz: ARM offers GitHub.Network/networkSettings in westus2",
      "ok    roles: has Owner on the subscription",
      "ok    vnet lz: VNET lz-vnet exists in westus2 with address space 10.50.0.0/16",
      "fail  subnet range lz: 10.50.1.0/24 overlaps subnet old-runners (10.50.1.0/24) in VNET lz-vnet",
      "      fix: set subnetPrefix to a free range, such as 10.50.2.0/24",
      "fail  subnet NICs lz: subnet old-runners has 1 NIC (build-agent-nic)",
      "      fix: delete or move those NICs before the subnet is delegated to GitHub.Network, or choose another subnetPrefix: the service cannot add its service association link while NICs are attached",
      "fail  network settings on subnet lz: subnet old-runners is already held by old-settings (resource group rg-old, businessId 87654321, GitHubId 0DD5E771NG5), for another GitHub business",
      `      fix: if it is no longer used, delete the GitHub network configuration that uses it, then: az resource delete --ids ${SUB}/resourceGroups/rg-old/providers/GitHub.Network/networkSettings/old-settings --api-version 2024-04-02; otherwise choose another subnetPrefix`,
      "8 ok, 0 warn, 3 fail",
    ]);
    expect(report.exitCode).toBe(1);
    expect(emulator.calls().slice(-2)).toEqual([
      `GET ${SUB}/resourceGroups/rg-lz/providers/Microsoft.Network/virtualNetworks/lz-vnet?api-version=2024-05-01`,
      `GET ${SUB}/providers/GitHub.Network/networkSettings?api-version=2024-04-02&subnetId=${encodeURIComponent(heldSubnetId)}`,
    ]);
  });

  it("passes for a free range, and says so when the VNET is missing", async () => {
    emulator = await startEmulator({ virtualNetworks: [lzVnet((id) => [subnet(id, "apps", "10.50.0.0/24")])] });
    const free = await doctor(LANDING_ZONE);
    expect(free.body.split("\n").slice(7)).toEqual([
      "ok    vnet lz: VNET lz-vnet exists in westus2 with address space 10.50.0.0/16",
      "ok    subnet range lz: 10.50.1.0/24 is inside VNET lz-vnet and no subnet uses it",
      "ok    subnet NICs lz: no NICs in 10.50.1.0/24 would block delegation",
      "ok    network settings on subnet lz: no subnet uses 10.50.1.0/24 yet, so no networkSettings can hold it",
      "11 ok, 0 warn, 0 fail",
    ]);
    expect(free.report.exitCode).toBe(0);

    emulator.state.virtualNetworks = [];
    const missing = await doctor(LANDING_ZONE);
    expect(missing.report.checks.at(-1)).toEqual({
      check: "vnet lz",
      status: "fail",
      detail: "VNET lz-vnet was not found in resource group rg-lz",
      fix: "fix existingVirtualNetwork (name and resourceGroupName are case-insensitive but must exist in this subscription), or pass the right --subscription",
    });
    expect(missing.report.exitCode).toBe(1);
  });
});

describe("the subscription doctor checks", () => {
  const OTHER = "99999999-9999-9999-9999-999999999999";
  const inStackFile = (id: string) => `${TWO_NEW_VNETS.replace("westus3", "westus2")}  azure-native:subscriptionId: ${id}\n`;
  const checked = async (yaml: string, extra: Partial<DoctorOptions>) => {
    const outcome = await runDoctor({
      configFile: writeStackFile(yaml),
      credential: fixedCredential(),
      baseUrl: emulator!.url,
      client: { sleep: () => Promise.resolve() },
      ...extra,
    });
    return outcome.kind === "checked" ? [outcome.report.subscriptionId, outcome.report.summary] : outcome;
  };

  it("is the stack file's azure-native:subscriptionId when no --subscription is given, before AZURE_SUBSCRIPTION_ID", async () => {
    emulator = await startEmulator();
    expect(await checked(inStackFile(SUBSCRIPTION), {})).toEqual([SUBSCRIPTION, { ok: 10, warn: 0, fail: 0 }]);
    expect(await checked(inStackFile(SUBSCRIPTION), { environmentSubscriptionId: OTHER })).toEqual([
      SUBSCRIPTION,
      { ok: 10, warn: 0, fail: 0 },
    ]);
    expect(emulator.calls().filter((call) => call.includes(OTHER))).toEqual([]);
  });

  it("is --subscription over the stack file, and AZURE_SUBSCRIPTION_ID when the stack file names none", async () => {
    emulator = await startEmulator();
    expect(await checked(inStackFile(OTHER), { subscriptionId: SUBSCRIPTION })).toEqual([SUBSCRIPTION, { ok: 10, warn: 0, fail: 0 }]);
    expect(await checked(TWO_NEW_VNETS.replace("westus3", "westus2"), { environmentSubscriptionId: SUBSCRIPTION })).toEqual([
      SUBSCRIPTION,
      { ok: 10, warn: 0, fail: 0 },
    ]);
    expect(emulator.calls().filter((call) => call.includes(OTHER))).toEqual([]);
  });
});

describe("doctor when ARM refuses or struggles", () => {
  it("stops when nobody is signed in, before calling ARM", async () => {
    emulator = await startEmulator();
    const nobody = {
      getToken: async () =>
        Promise.reject(
          new Error(
            "DefaultAzureCredential failed to retrieve a token from the included credentials.\nAzureCliCredential: Please run 'az login' to set up an account.",
          ),
        ),
    };
    const { report, body } = await doctor(TWO_NEW_VNETS, { credential: nobody });
    expect(body).toBe(
      [
        "fail  identity: could not check: CredentialUnavailable: DefaultAzureCredential failed to retrieve a token from the included credentials.; AzureCliCredential: Please run 'az login' to set up an account.",
        "      fix: sign in: az login, or set AZURE_TENANT_ID/AZURE_CLIENT_ID with a secret, certificate or workload identity (OIDC), or run with a managed identity",
        "0 ok, 0 warn, 1 fail",
      ].join("\n"),
    );
    expect(report.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
  });

  it("stops after a refused sign-in (401), with ARM's code and what to do", async () => {
    emulator = await startEmulator();
    const { report, body } = await doctor(TWO_NEW_VNETS, { credential: fixedCredential("aaa.eyJvaWQiOiJ4In0.zzz") });
    expect(body).toBe(
      [
        "ok    identity: signed in as user (no name) (object id x, tenant unknown)",
        "fail  subscription: could not check: 401 InvalidAuthenticationToken: The access token is invalid.",
        "      fix: the sign-in was refused or has expired: sign in again (az login), or check the service principal or workload identity and its tenant",
        "1 ok, 0 warn, 1 fail",
      ].join("\n"),
    );
    expect(report.exitCode).toBe(1);
  });

  it("reports a subscription ARM does not know (404)", async () => {
    emulator = await startEmulator();
    const { report } = await doctor(TWO_NEW_VNETS, { subscriptionId: "00000000-0000-0000-0000-0000000000ff" });
    expect(report.checks.at(-1)).toEqual({
      check: "subscription",
      status: "fail",
      detail: "could not check: 404 SubscriptionNotFound: The subscription '00000000-0000-0000-0000-0000000000ff' could not be found.",
      fix: "check the subscription id, and that the signed-in identity belongs to the subscription's tenant",
    });
  });

  it("fails the role check when the role assignments cannot be read (403), and goes on", async () => {
    const message = `The client 'alice@contoso.example' with object id '${USER_OBJECT_ID}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '${SUB}'.`;
    emulator = await startEmulator({ faults: [{ path: /roleAssignments$/, times: 1, status: 403, code: "AuthorizationFailed", message }] });
    const { report } = await doctor(TWO_NEW_VNETS.replace("westus3", "westus2"));
    expect(report.checks.find((c) => c.check === "roles")).toEqual({
      check: "roles",
      status: "fail",
      detail: `could not check: 403 AuthorizationFailed: ${message}`,
      fix: "the signed-in identity lacks permission: GitHub's docs ask for Contributor and Network Contributor (or Owner) on the subscription; run `doctor` to see its role assignments",
    });
    expect(statusOf(report).slice(-2)).toEqual(["ok address space primary", "ok address space failover"]);
  });

  it("retries throttling (429 with Retry-After) and server errors (500, 503), and still gets its answers", async () => {
    emulator = await startEmulator({
      faults: [
        {
          path: /virtualNetworks$/,
          times: 1,
          status: 429,
          headers: { "retry-after": "2" },
          code: "SubscriptionRequestsThrottled",
          message: "Number of read requests for subscription exceeded the limit.",
        },
        { path: /virtualNetworks$/, times: 1, status: 503, code: "ServiceUnavailable", message: "The service is unavailable." },
        { path: /GitHub\.Network$/, times: 1, status: 500, code: "InternalServerError", message: "Encountered internal server error." },
      ],
    });
    const { report, sleeps } = await doctor(TWO_NEW_VNETS.replace("westus3", "westus2"));
    expect(report.summary).toEqual({ ok: 10, warn: 0, fail: 0 });
    expect(sleeps).toEqual([750, 2000, 1500]);
    expect(emulator.calls().filter((c) => c.includes("virtualNetworks")).length).toBe(3);
  });
});

describe("doctor --deployed", () => {
  it("prints the deployed GitHubId, delegation and NSG, and fails a network that was not deployed", async () => {
    const primaryVnet = vnet("primary-rg5e6f7a8b", "primary-vnet1a2b3c4d", "eastus", ["10.40.0.0/16"], (id) => [
      subnet(id, "primary-subnet9d8c7b6e", "10.40.0.0/24", {
        delegations: [{ name: "github-network-settings", properties: { serviceName: "GitHub.Network/networkSettings" } }],
        networkSecurityGroup: {
          id: `${SUB}/resourceGroups/primary-rg5e6f7a8b/providers/Microsoft.Network/networkSecurityGroups/primary-nsg0a1b2c3d`,
        },
      }),
    ]);
    emulator = await startEmulator({
      virtualNetworks: [primaryVnet],
      networkSettings: [
        {
          id: `${SUB}/resourceGroups/primary-rg5e6f7a8b/providers/GitHub.Network/networkSettings/primary-network-settings4d5e6f7a`,
          name: "primary-network-settings4d5e6f7a",
          type: "GitHub.Network/networkSettings",
          location: "eastus",
          properties: { businessId: "12345678", subnetId: `${primaryVnet.id}/subnets/primary-subnet9d8c7b6e` },
          tags: { owner: "platform-team", GitHubId: "A1B2C3D4E5F60718293A4B5C6D7E8F90" },
        },
      ],
    });
    const { report, body } = await doctor(TWO_NEW_VNETS.replace("westus3", "westus2"), { deployed: true });
    expect(body.split("\n").slice(8)).toEqual([
      "ok    address space primary: 10.40.0.0/16 overlaps none of the subscription's 1 VNETs; primary-vnet1a2b3c4d is this stack's own VNET, deployed earlier",
      "ok    address space failover: 10.41.0.0/16 overlaps none of the subscription's 1 VNETs",
      "ok    deployed primary: primary-network-settings4d5e6f7a GitHubId A1B2C3D4E5F60718293A4B5C6D7E8F90 (paste it into the GitHub network configuration)",
      "ok    deployed subnet primary: subnet primary-subnet9d8c7b6e, delegation GitHub.Network/networkSettings, NSG primary-nsg0a1b2c3d",
      "fail  deployed failover: no networkSettings for this network was found in the subscription",
      "      fix: run pulumi up for this stack (and check --subscription is the stack's subscription)",
      "warn  github: GitHub's view of the deployed networks was not read: no GitHub token",
      '      fix: set GITHUB_TOKEN to a token that can read network configurations (fine-grained: "Network configurations" read; classic: read:network_configurations), or set GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY for a GitHub App with that permission',
      "12 ok, 1 warn, 1 fail",
    ]);
    expect(report.deployed).toBe(true);
    expect(report.exitCode).toBe(1);
    expect(emulator.calls().slice(-2)).toEqual([
      `GET ${SUB}/providers/GitHub.Network/networkSettings?api-version=2024-04-02`,
      `GET ${primaryVnet.id}/subnets/primary-subnet9d8c7b6e?api-version=2024-05-01`,
    ]);
  });
});

describe("doctor --deployed with GitHub's view (the GitHub emulator)", () => {
  const GITHUB_TOKEN = "ghp_doctorReadsNetworkSettings01";
  let github: GitHubEmulator | undefined;
  afterEach(async () => {
    await github?.stop();
    github = undefined;
  });

  /** A network configuration made in GitHub that uses the primary network's GitHubId. */
  const usingPrimary = (id: string, name: string): NetworkConfigurationRecord => ({
    id,
    name,
    compute_service: "actions",
    network_settings_ids: ["PRIMARY-GITHUB-ID"],
    failover_network_settings_ids: [],
    failover_network_enabled: false,
    created_on: "2026-08-22T10:00:00Z",
  });

  /** Both networks of TWO_NEW_VNETS deployed in eastus and westus2, each with its networkSettings. */
  function deployedState() {
    const deployed = (network: string, location: string, prefix: string, gitHubId: string) => {
      const group = `${network}-rg1a2b3c4d`;
      const network_ = vnet(group, `${network}-vnet1a2b3c4d`, location, [prefix.replace("0/24", "0/16")], (id) => [
        subnet(id, `${network}-subnet1a2b3c4d`, prefix, {
          delegations: [{ name: "github-network-settings", properties: { serviceName: "GitHub.Network/networkSettings" } }],
          networkSecurityGroup: {
            id: `${SUB}/resourceGroups/${group}/providers/Microsoft.Network/networkSecurityGroups/${network}-nsg1a2b3c4d`,
          },
        }),
      ]);
      const settings = {
        id: `${SUB}/resourceGroups/${group}/providers/GitHub.Network/networkSettings/${network}-network-settings1a2b3c4d`,
        name: `${network}-network-settings1a2b3c4d`,
        type: "GitHub.Network/networkSettings",
        location,
        properties: { businessId: "12345678", subnetId: `${network_.id}/subnets/${network}-subnet1a2b3c4d` },
        tags: { GitHubId: gitHubId },
      };
      return { network: network_, settings };
    };
    return {
      primary: deployed("primary", "eastus", "10.40.0.0/24", "PRIMARY-GITHUB-ID"),
      failover: deployed("failover", "westus2", "10.41.0.0/24", "FAILOVER-GITHUB-ID"),
    };
  }

  async function doctorWithGitHub(
    scope: "organization" | "enterprise",
    extraGitHub = "",
    token = GITHUB_TOKEN,
    connect: (apiUrl: string | undefined) => GitHubClient | undefined = (apiUrl) =>
      createGitHubClient({ token, apiUrl, sleep: () => Promise.resolve() }),
  ) {
    const state = deployedState();
    emulator = await startEmulator({
      virtualNetworks: [state.primary.network, state.failover.network],
      networkSettings: [state.primary.settings, state.failover.settings],
    });
    const slug = scope === "organization" ? "my-org" : "acme";
    const yaml = TWO_NEW_VNETS.replace("westus3", "westus2").replace(
      GITHUB,
      `  azure-github-runner-network:github:\n    businessId: "12345678"\n    scope: ${scope}\n    slug: ${slug}\n    apiUrl: ${github!.url}\n${extraGitHub}`,
    );
    const connected: (string | undefined)[] = [];
    const result = await doctor(yaml, {
      deployed: true,
      connectGitHub: (apiUrl) => (connected.push(apiUrl), connect(apiUrl)),
    });
    expect(connected).toEqual([github!.url]);
    return {
      ...result,
      state,
      lines: result.body.split("\n").filter((line) => /^\w+\s+github|^\s+fix: .*(GitHub|GITHUB|github|tag)/.test(line)),
    };
  }

  it("reports each network as GitHub sees it: known, the configuration using it, subnet and region, a fix for each mismatch", async () => {
    github = await GitHubEmulator.start({
      tokens: { [GITHUB_TOKEN]: ["org:network-configurations"] },
      organizations: { "my-org": 12345678 },
    });
    github.configurations("organization", "my-org").push(usingPrimary("NC0001", "azure-private"));
    const state = deployedState();
    github.addNetworkSettings("organization", "my-org", {
      id: "PRIMARY-GITHUB-ID",
      name: "primary-network-settings1a2b3c4d",
      subnet_id: state.primary.settings.properties.subnetId.toUpperCase(),
      region: "eastus",
    });
    // GitHub records the failover GitHubId for another subnet in another region: the tag was copied by hand.
    github.addNetworkSettings("organization", "my-org", {
      id: "FAILOVER-GITHUB-ID",
      name: "elsewhere",
      subnet_id: `${SUB}/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/other/subnets/other`,
      region: "centralus",
    });
    const { report, lines } = await doctorWithGitHub("organization");
    expect(lines).toEqual([
      'ok    github primary: GitHub knows network settings PRIMARY-GITHUB-ID (primary-network-settings1a2b3c4d); network configuration "azure-private" (id NC0001) uses it',
      "ok    github subnet primary: GitHub and Azure agree: subnet PRIMARY-SUBNET1A2B3C4D",
      "ok    github region primary: GitHub and Azure agree: eastus",
      "warn  github failover: GitHub knows network settings FAILOVER-GITHUB-ID (elsewhere), but no network configuration uses it",
      "      fix: create a network configuration with this GitHubId in GitHub (Settings > Hosted compute networking), or set github.networkConfiguration and run pulumi up",
      `fail  github subnet failover: GitHub has subnet ${SUB}/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/other/subnets/other, Azure's failover-network-settings1a2b3c4d has ${state.failover.settings.properties.subnetId}`,
      "      fix: the GitHubId tag on failover-network-settings1a2b3c4d names another network settings resource: never edit that tag; replace the networkSettings (pulumi up --replace with its URN) so GitHub's service writes its own",
      "fail  github region failover: GitHub has region centralus, Azure's failover-network-settings1a2b3c4d is in westus2",
      "      fix: the GitHubId tag on failover-network-settings1a2b3c4d names another network settings resource: never edit that tag; replace the networkSettings (pulumi up --replace with its URN) so GitHub's service writes its own",
    ]);
    expect(report.exitCode).toBe(1);
    expect(github.calls()).toEqual([
      "GET /orgs/my-org/settings/network-settings/PRIMARY-GITHUB-ID",
      "GET /orgs/my-org/settings/network-configurations/NC0001",
      "GET /orgs/my-org/settings/network-settings/FAILOVER-GITHUB-ID",
    ]);
    expect(github.violations).toEqual([]);
  });

  it("an enterprise stack: GitHub's enterprise endpoint, a GitHubId GitHub does not know, and another configuration than the stack's", async () => {
    github = await GitHubEmulator.start({
      tokens: { [GITHUB_TOKEN]: ["enterprise:network-configurations"] },
      enterprises: { acme: 12345678 },
    });
    github.configurations("enterprise", "acme").push(usingPrimary("NC0002", "made-by-hand"));
    const state = deployedState();
    github.addNetworkSettings("enterprise", "acme", {
      id: "PRIMARY-GITHUB-ID",
      name: "primary",
      subnet_id: state.primary.settings.properties.subnetId,
      region: "East US",
    });
    const { lines } = await doctorWithGitHub("enterprise", "    networkConfiguration: { name: azure-private }\n");
    expect(lines).toEqual([
      'warn  github primary: GitHub knows network settings PRIMARY-GITHUB-ID (primary); network configuration "made-by-hand" (id NC0002) uses it, not the stack\'s "azure-private"',
      "      fix: remove it from that configuration in GitHub (Enterprise settings > Hosted compute networking), then run pulumi up",
      "ok    github subnet primary: GitHub and Azure agree: subnet primary-subnet1a2b3c4d",
      "ok    github region primary: GitHub and Azure agree: eastus",
      'fail  github failover: GitHub does not know network settings FAILOVER-GITHUB-ID (of failover-network-settings1a2b3c4d) in enterprise "acme"',
      '      fix: GitHub answers 404 when the networkSettings was made with another owner\'s businessId, or when github.slug or github.scope name another owner, or when the token cannot see enterprise "acme": check them; with github.businessId corrected, pulumi up replaces the networkSettings',
    ]);
    expect(github.calls()).toEqual([
      "GET /enterprises/acme/network-settings/PRIMARY-GITHUB-ID",
      "GET /enterprises/acme/network-configurations/NC0002",
      "GET /enterprises/acme/network-settings/FAILOVER-GITHUB-ID",
    ]);
  });

  it("signs in as a GitHub App from GITHUB_APP_* when GITHUB_TOKEN is not set (doctor decrypts no stack secret)", async () => {
    const key = generateAppKey();
    github = await GitHubEmulator.start({
      tokens: {},
      apps: { "4321": { publicKey: key.publicKey, installations: { "8765": ["org:network-configurations"] } } },
      organizations: { "my-org": 12345678 },
    });
    const state = deployedState();
    github.configurations("organization", "my-org").push(usingPrimary("NC0003", "azure-private"));
    github.addNetworkSettings("organization", "my-org", {
      id: "PRIMARY-GITHUB-ID",
      name: "primary",
      subnet_id: state.primary.settings.properties.subnetId,
      region: "eastus",
    });
    const env = { GITHUB_APP_ID: "4321", GITHUB_APP_INSTALLATION_ID: "8765", GITHUB_APP_PRIVATE_KEY: key.privateKey };
    const { lines } = await doctorWithGitHub("organization", "", GITHUB_TOKEN, (apiUrl) =>
      gitHubClientFromEnvironment(env, apiUrl, { sleep: () => Promise.resolve() }),
    );
    expect(lines[0]).toBe(
      'ok    github primary: GitHub knows network settings PRIMARY-GITHUB-ID (primary); network configuration "azure-private" (id NC0003) uses it',
    );
    expect(github.mintedTokens).toHaveLength(1);
    expect(gitHubClientFromEnvironment({ GITHUB_APP_ID: "4321" }, github.url)).toBeUndefined();
  });

  it("a token GitHub refuses: the check fails with GitHub's reason and the permission, never the token", async () => {
    github = await GitHubEmulator.start({ tokens: { [GITHUB_TOKEN]: ["org:runner-groups"] }, organizations: { "my-org": 12345678 } });
    github.reflectAuthorization = true;
    const { lines, body } = await doctorWithGitHub("organization");
    expect(lines).toEqual([
      expect.stringMatching(
        /^fail {2}github primary: could not read GitHub's view: read network settings PRIMARY-GITHUB-ID failed: the token is not allowed to do this in organization "my-org" \(403: .*Bearer \[redacted\].*\)\. Organization network configurations need/,
      ),
      "      fix: give GITHUB_TOKEN the permission the message names",
      expect.stringMatching(/^fail {2}github failover: could not read GitHub's view: read network settings FAILOVER-GITHUB-ID failed/),
      "      fix: give GITHUB_TOKEN the permission the message names",
    ]);
    expect(body).not.toContain(GITHUB_TOKEN);
  });
});

const NO_SUBSCRIPTION =
  "doctor needs the subscription to check: pass --subscription <id>, set azure-native:subscriptionId in the stack file or set AZURE_SUBSCRIPTION_ID (az account show --query id -o tsv prints yours)";

describe("doctor's usage and config errors", () => {
  it("asks for a subscription when none is given", async () => {
    const outcome = await runDoctor({
      configFile: writeStackFile(TWO_NEW_VNETS),
      credential: fixedCredential(),
      baseUrl: "http://127.0.0.1:9",
    });
    expect(outcome).toEqual({ kind: "usage", message: NO_SUBSCRIPTION });
  });

  it("names where a subscription that is not a GUID came from", async () => {
    const file = writeStackFile(`${TWO_NEW_VNETS}  azure-native:subscriptionId: Platform\n`);
    const fromFile = await runDoctor({ configFile: file, credential: fixedCredential(), baseUrl: "http://127.0.0.1:9" });
    expect(fromFile).toEqual({
      kind: "usage",
      message: `azure-native:subscriptionId in ${file} "Platform" is not a subscription id; expected a GUID such as 00000000-0000-0000-0000-000000000000`,
    });
    const fromEnvironment = await runDoctor({
      configFile: writeStackFile(TWO_NEW_VNETS),
      environmentSubscriptionId: "Platform",
      credential: fixedCredential(),
      baseUrl: "http://127.0.0.1:9",
    });
    expect(fromEnvironment).toEqual({
      kind: "usage",
      message: 'AZURE_SUBSCRIPTION_ID "Platform" is not a subscription id; expected a GUID such as 00000000-0000-0000-0000-000000000000',
    });
    const secret = writeStackFile(`${TWO_NEW_VNETS}  azure-native:subscriptionId:\n    secure: AAABAQ==\n`);
    expect(await runDoctor({ configFile: secret, credential: fixedCredential(), baseUrl: "http://127.0.0.1:9" })).toEqual({
      kind: "usage",
      message: `azure-native:subscriptionId in ${secret} is a secret, which doctor cannot decrypt offline; pass --subscription <id>`,
    });
  });

  it("refuses a subscription that is not a GUID", async () => {
    const outcome = await runDoctor({
      configFile: writeStackFile(TWO_NEW_VNETS),
      subscriptionId: "Platform",
      credential: fixedCredential(),
      baseUrl: "http://127.0.0.1:9",
    });
    expect(outcome).toEqual({
      kind: "usage",
      message: '--subscription "Platform" is not a subscription id; expected a GUID such as 00000000-0000-0000-0000-000000000000',
    });
  });

  it("reports invalid config by key path before calling Azure", async () => {
    const outcome = await runDoctor({
      configFile: writeStackFile(TWO_NEW_VNETS.replace("10.41.0.0/16", "10.41.0.1/16")),
      subscriptionId: SUBSCRIPTION,
      credential: fixedCredential(),
      baseUrl: "http://127.0.0.1:9",
    });
    expect(outcome.kind === "invalid" && outcome.issues).toEqual([
      { path: "networks[1].addressSpace", message: '"10.41.0.1/16" has host bits set; the network address is 10.41.0.0/16' },
    ]);
  });
});

describe("the doctor CLI, run as a user runs it", () => {
  /** The CLI signs in with its real DefaultAzureCredential, through the emulator's managed identity endpoint. */
  const cliEnv = (extra: Record<string, string | undefined> = {}) => ({
    AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT: emulator!.url,
    IDENTITY_ENDPOINT: `${emulator!.url}/msi/token`,
    IDENTITY_HEADER: emulator!.state.identityHeader,
    AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
    AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
    AZURE_CLIENT_ID: undefined,
    AZURE_CLIENT_SECRET: undefined,
    AZURE_TENANT_ID: undefined,
    AZURE_FEDERATED_TOKEN_FILE: undefined,
    MSI_ENDPOINT: undefined,
    IMDS_ENDPOINT: undefined,
    IDENTITY_SERVER_THUMBPRINT: undefined,
    ...extra,
  });

  it("prints the checks and exits 1 on an overlapping VNET; --json gives the same checks", async () => {
    emulator = await startEmulator({ virtualNetworks: [vnet("rg-hub", "hub-vnet", "eastus", ["10.40.128.0/17"])] });
    const file = writeStackFile(TWO_NEW_VNETS.replace("westus3", "westus2"));
    const text = await runCli(["doctor", "--config", file], { env: cliEnv() });
    expectNoToken(text.stdout, text.stderr);
    expect(text.stderr).toBe("");
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(
      [
        `doctor: ${file} against subscription ${SUBSCRIPTION}`,
        ...READY_SUBSCRIPTION_LINES,
        "fail  address space primary: 10.40.0.0/16 overlaps VNET hub-vnet (resource group rg-hub, eastus) 10.40.128.0/17",
        "      fix: give networks[].addressSpace a range no VNET uses, such as 10.0.0.0/16: overlapping VNETs cannot be peered or routed to each other",
        "ok    address space failover: 10.41.0.0/16 overlaps none of the subscription's 1 VNETs",
        "9 ok, 0 warn, 1 fail",
        "",
      ].join("\n"),
    );

    const json = await runCli(["doctor", "--config", file, "--json"], { env: cliEnv() });
    expectNoToken(json.stdout, json.stderr);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as DoctorReport;
    expect(Object.keys(report)).toEqual(["configFile", "subscriptionId", "deployed", "checks", "summary", "exitCode"]);
    expect(report.checks[8]).toEqual({
      check: "address space primary",
      status: "fail",
      detail: "10.40.0.0/16 overlaps VNET hub-vnet (resource group rg-hub, eastus) 10.40.128.0/17",
      fix: "give networks[].addressSpace a range no VNET uses, such as 10.0.0.0/16: overlapping VNETs cannot be peered or routed to each other",
    });
    expect(report.summary).toEqual({ ok: 9, warn: 0, fail: 1 });
    expect(emulator.requests.every((r) => r.authorized)).toBe(true);
  });

  it("in a Pulumi project with no flags: its only stack file, and the subscription that file names", async () => {
    emulator = await startEmulator();
    const project = writeProject("runners", {
      "Pulumi.dev.yaml": `${TWO_NEW_VNETS.replace("westus3", "westus2")}  azure-native:subscriptionId: ${SUBSCRIPTION}\n`,
    });
    const result = await runCli(["doctor"], { cwd: project, env: cliEnv({ AZURE_SUBSCRIPTION_ID: undefined }) });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(result.stdout.split("\n").slice(0, 2)).toEqual([
      `doctor: Pulumi.dev.yaml against subscription ${SUBSCRIPTION}`,
      SIGNED_IN_LINES[0],
    ]);
    expect(result.stdout.split("\n").at(-2)).toBe("10 ok, 0 warn, 0 fail");
  });

  it("--deployed reads GitHub's view with GITHUB_TOKEN from the stack's github.apiUrl, and says so when no token is set", async () => {
    const token = "ghp_cliDoctorGitHubView0000001";
    const github = await GitHubEmulator.start({
      tokens: { [token]: ["org:network-configurations"] },
      organizations: { "my-org": 12345678 },
    });
    try {
      const subnetId = `${SUB}/resourceGroups/primary-rg/providers/Microsoft.Network/virtualNetworks/primary-vnet/subnets/primary-subnet`;
      emulator = await startEmulator({
        networkSettings: [
          {
            id: `${SUB}/resourceGroups/primary-rg/providers/GitHub.Network/networkSettings/primary-network-settings`,
            name: "primary-network-settings",
            type: "GitHub.Network/networkSettings",
            location: "eastus",
            properties: { businessId: "12345678", subnetId },
            tags: { GitHubId: "CLI-GITHUB-ID" },
          },
        ],
      });
      github.addNetworkSettings("organization", "my-org", { id: "CLI-GITHUB-ID", name: "primary", subnet_id: subnetId, region: "eastus" });
      const file = writeStackFile(withNetworks(PRIMARY).replace(GITHUB, `${GITHUB}    apiUrl: ${github.url}\n`));
      const withToken = await runCli(["doctor", "--config", file, "--deployed"], { env: cliEnv({ GITHUB_TOKEN: token }) });
      expect(withToken.stdout.split("\n").filter((line) => line.includes(" github "))).toEqual([
        "warn  github primary: GitHub knows network settings CLI-GITHUB-ID (primary), but no network configuration uses it",
        "ok    github subnet primary: GitHub and Azure agree: subnet primary-subnet",
        "ok    github region primary: GitHub and Azure agree: eastus",
      ]);
      expect(withToken.stdout).not.toContain(token);
      const withoutToken = await runCli(["doctor", "--config", file, "--deployed"], { env: cliEnv({ GITHUB_TOKEN: undefined }) });
      expect(withoutToken.stdout).toContain("\nwarn  github: GitHub's view of the deployed networks was not read: no GitHub token\n");
      expect(github.calls()).toEqual(["GET /orgs/my-org/settings/network-settings/CLI-GITHUB-ID"]);
    } finally {
      await github.stop();
    }
  });

  it("exits 2 with one line when no subscription is given, and refuses a non-loopback test endpoint", async () => {
    emulator = await startEmulator();
    const file = writeStackFile(TWO_NEW_VNETS);
    const missing = await runCli(["doctor", "--config", file], { env: cliEnv({ AZURE_SUBSCRIPTION_ID: undefined }) });
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([2, "", `${NO_SUBSCRIPTION}\n`]);
    const remote = await runCli(["doctor", "--config", file], {
      env: cliEnv({ AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT: "https://collector.example" }),
    });
    expect([remote.code, remote.stderr]).toEqual([
      2,
      "AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT is for tests against a local emulator and must be http://127.0.0.1:<port>; unset it\n",
    ]);
    expect(emulator.requests).toEqual([]);
  });
});

describe("doctor and ARM answers of an unexpected shape", () => {
  /** A new VNET and an existing one, checked with --deployed: every read doctor makes happens once or twice. */
  const EVERY_READ = withNetworks(PRIMARY, lzNetwork("      role: failover\n"));
  const primaryVnet = vnet("primary-rg", "primary-vnet", "eastus", ["10.40.0.0/16"], (id) => [
    subnet(id, "primary-subnet", "10.40.0.0/24"),
  ]);
  const lzVnet = vnet("rg-lz", "lz-vnet", "westus2", ["10.50.0.0/16"], (id) => [subnet(id, "runners", "10.50.1.0/24")]);
  const settings = {
    id: `${SUB}/resourceGroups/primary-rg/providers/GitHub.Network/networkSettings/primary-network-settings`,
    name: "primary-network-settings",
    type: "GitHub.Network/networkSettings",
    location: "eastus",
    properties: { businessId: "12345678", subnetId: `${primaryVnet.id}/subnets/primary-subnet` },
    tags: { GitHubId: "A1B2C3D4" },
  };
  const start = (faults: EmulatorState["faults"]) =>
    startEmulator({ virtualNetworks: [primaryVnet, lzVnet], networkSettings: [settings], faults });

  it("reads all of it when the answers are as ARM gives them", async () => {
    emulator = await start([]);
    const { report } = await doctor(EVERY_READ, { deployed: true });
    expect(report.checks.filter((c) => c.detail.startsWith("could not check"))).toEqual([]);
  });

  const reads: [string, RegExp, number, string[]][] = [
    ["the subscription", /^\/subscriptions\/[^/]+$/, 1, ["subscription"]],
    ["a resource provider", /\/providers\/GitHub\.Network$/, 1, ["provider GitHub.Network"]],
    ["the role assignments", /\/roleAssignments$/, 1, ["roles"]],
    ["a role definition", /\/roleDefinitions\/[^/]+$/, 1, ["roles"]],
    ["the VNET list", /\/virtualNetworks$/, 1, ["address spaces"]],
    ["an existing VNET", /\/virtualNetworks\/lz-vnet$/, 1, ["vnet lz"]],
    ["the networkSettings lists", /\/networkSettings$/, 2, ["network settings on subnet lz", "deployed"]],
    ["the deployed subnet", /\/subnets\/primary-subnet$/, 1, ["deployed subnet primary"]],
  ];
  const cases = reads.flatMap(([read, path, times, checks]) =>
    ["null", "{}", '{"value": 5}'].map((body) => [read, body, path, times, checks] as const),
  );

  it.each(cases)("%s answered %s: a failed check that says so, with the fix", async (_read, body, path, times, checks) => {
    emulator = await start([{ path, times, status: 200, rawBody: body }]);
    const { report } = await doctor(EVERY_READ, { deployed: true });
    const failed = report.checks.filter((c) => c.detail.startsWith("could not check"));
    expect(failed.map((c) => c.check)).toEqual(checks);
    for (const check of failed) {
      expect(check).toEqual({
        check: check.check,
        status: "fail",
        detail: expect.stringMatching(
          /^could not check: UnexpectedResponse: .+ is (null|missing|an object|number 5), not (an object|a list|a string)$/,
        ),
        fix: UNEXPECTED_RESPONSE_HINT,
      });
    }
    expect(report.exitCode).toBe(1);
  });

  it("names the field that does not fit", async () => {
    emulator = await start([
      { path: /\/virtualNetworks$/, times: 1, status: 200, rawBody: '{"value": [{"id": "x", "name": "v", "location": 3}]}' },
    ]);
    const { report } = await doctor(EVERY_READ, { deployed: true });
    expect(report.checks.find((c) => c.check === "address spaces")?.detail).toBe(
      "could not check: UnexpectedResponse: value[0].location is number 3, not a string",
    );
  });
});

describe("doctor and a server that quotes the Authorization header back", () => {
  it("prints what ARM said with the token redacted, in the text and the JSON report", async () => {
    emulator = await startEmulator({
      reflectAuthorization: true,
      faults: [
        { path: /roleAssignments$/, times: 1, status: 403, code: "AuthorizationFailed", message: "no read" },
        { path: /virtualNetworks$/, times: 9, status: 502, rawBody: "<html>Bad Gateway</html>" },
      ],
    });
    // doctor() checks the text and the JSON report for any piece of the token.
    const { report } = await doctor(TWO_NEW_VNETS.replace("westus3", "westus2"));
    expect(report.checks.filter((c) => c.status === "fail").map((c) => c.detail)).toEqual([
      "could not check: 403 AuthorizationFailed: no read (request had Authorization: Bearer [redacted])",
      "could not check: 502 HTTP502: <html>Bad Gateway</html> (request had Authorization: Bearer [redacted]) (after 4 retries)",
    ]);
  });

  it("redacts a token ARM refuses, and a token ARM puts into a resource's fields", async () => {
    const refused = emulatedAccessToken({ tenantId: TENANT, objectId: USER_OBJECT_ID, clientId: "refused-client" });
    emulator = await startEmulator({ reflectAuthorization: true });
    const signedOut = await doctor(TWO_NEW_VNETS, { credential: fixedCredential(refused) });
    expect(signedOut.report.checks.at(-1)?.detail).toBe(
      "could not check: 401 InvalidAuthenticationToken: The access token is invalid. (request had Authorization: Bearer [redacted])",
    );
    expectNoTokenIn(refused, signedOut.body, JSON.stringify(signedOut.report));
    await emulator.stop();

    // A subscription whose name is the token (as a server that echoes the request might answer).
    emulator = await startEmulator({
      subscriptions: { [SUBSCRIPTION]: { displayName: `see ${TOKEN}`, state: "Enabled", tenantId: TENANT } },
    });
    const { report } = await doctor(TWO_NEW_VNETS.replace("westus3", "westus2"));
    expect(report.checks.find((c) => c.check === "subscription")?.detail).toBe(`"see [redacted]" (${SUBSCRIPTION}) is Enabled`);
  });
});

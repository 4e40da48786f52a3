import { afterEach, describe, expect, it } from "vitest";
import { ArmClient } from "../../../components/azure/arm-client";
import {
  ensureProvidersRegistered,
  networkSettingsLocations,
  provisionRegistration,
  refreshRegistration,
  registrationRequestFrom,
  type RegistrationRequest,
} from "../../../components/azure/registration";
import { registrationDiff } from "../../../components/azure/registration-diff";
import { registrationSettingsProblems } from "../../../components/azure/registration-settings";
import type { ArmEmulator } from "../../support/arm-emulator";
import { ARM_LOCATIONS, SUBSCRIPTION, expectNoToken, fixedCredential, startEmulator } from "../../support/doctor-fixtures";

let emulator: ArmEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** A clock that moves only when the code under test sleeps. */
function fakeClock() {
  const clock = {
    at: 0,
    sleeps: [] as number[],
    now: () => clock.at,
    sleep: (ms: number) => (clock.sleeps.push(ms), (clock.at += ms), Promise.resolve()),
  };
  return clock;
}

const REQUEST: RegistrationRequest = {
  subscriptionId: SUBSCRIPTION,
  namespaces: ["GitHub.Network", "Microsoft.Network"],
  locations: ["eastus"],
  timeoutSeconds: 900,
  pollIntervalSeconds: 10,
};
const CANONICAL_LOCATIONS = [
  "australiacentral",
  "australiaeast",
  "brazilsouth",
  "canadacentral",
  "canadaeast",
  "centralus",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "germanywestcentral",
  "italynorth",
  "japaneast",
  "japanwest",
  "koreacentral",
  "northcentralus",
  "northeurope",
  "norwayeast",
  "southcentralus",
  "southeastasia",
  "southindia",
  "swedencentral",
  "switzerlandnorth",
  "uksouth",
  "ukwest",
  "westus",
  "westus2",
  "westus3",
];
const providerPath = (namespace: string) => `/subscriptions/${SUBSCRIPTION}/providers/${namespace}`;

function setup(emulatorUrl: string) {
  const clock = fakeClock();
  const progress: string[] = [];
  const client = new ArmClient({
    baseUrl: emulatorUrl,
    credential: fixedCredential(),
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
  });
  return { clock, progress, client, report: (message: string) => void progress.push(message) };
}

describe("ensureProvidersRegistered", () => {
  it("registers GitHub.Network, waits through Registering until Registered, and reads its regions", async () => {
    emulator = await startEmulator({
      providers: {
        "GitHub.Network": {
          registrationState: "NotRegistered",
          afterRegister: ["Registering", "Registering", "Registered"],
          networkSettingsLocations: ARM_LOCATIONS,
        },
        "Microsoft.Network": { registrationState: "Registered" },
      },
    });
    const { clock, progress, client, report } = setup(emulator.url);
    const outcome = await ensureProvidersRegistered(client, REQUEST, clock, report);
    expect(outcome).toEqual({
      ...REQUEST,
      registrationStates: { "GitHub.Network": "Registered", "Microsoft.Network": "Registered" },
      registeredNow: ["GitHub.Network"],
      networkSettingsLocations: CANONICAL_LOCATIONS,
    });
    expect(emulator.calls()).toEqual([
      `GET ${providerPath("GitHub.Network")}?api-version=2021-04-01`,
      `POST ${providerPath("GitHub.Network")}/register?api-version=2021-04-01`,
      `GET ${providerPath("GitHub.Network")}?api-version=2021-04-01`,
      `GET ${providerPath("GitHub.Network")}?api-version=2021-04-01`,
      `GET ${providerPath("GitHub.Network")}?api-version=2021-04-01`,
      `GET ${providerPath("Microsoft.Network")}?api-version=2021-04-01`,
    ]);
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(progress).toEqual([
      `GitHub.Network is NotRegistered in subscription ${SUBSCRIPTION}; registering it`,
      "waiting for GitHub.Network to be Registered: Registering after 0s of 15m00s; next check in 10s",
      "waiting for GitHub.Network to be Registered: Registering after 10s of 15m00s; next check in 10s",
      "waiting for GitHub.Network to be Registered: Registering after 20s of 15m00s; next check in 10s",
      "GitHub.Network registered after 30s",
    ]);
  });

  it("only reads when everything is registered already", async () => {
    emulator = await startEmulator();
    const { clock, progress, client, report } = setup(emulator.url);
    const outcome = await ensureProvidersRegistered(client, REQUEST, clock, report);
    expect(outcome.registeredNow).toEqual([]);
    expect(outcome.registrationStates).toEqual({ "GitHub.Network": "Registered", "Microsoft.Network": "Registered" });
    expect(emulator.calls()).toEqual([
      `GET ${providerPath("GitHub.Network")}?api-version=2021-04-01`,
      `GET ${providerPath("Microsoft.Network")}?api-version=2021-04-01`,
    ]);
    expect(progress).toEqual([]);
    expect(clock.sleeps).toEqual([]);
  });

  it("gives up cleanly at the timeout when registration hangs in Registering", async () => {
    emulator = await startEmulator({
      providers: {
        "GitHub.Network": { registrationState: "NotRegistered", afterRegister: ["Registering"], networkSettingsLocations: ARM_LOCATIONS },
        "Microsoft.Network": { registrationState: "Registered" },
      },
    });
    const { clock, progress, client, report } = setup(emulator.url);
    await expect(
      ensureProvidersRegistered(client, { ...REQUEST, timeoutSeconds: 60, pollIntervalSeconds: 25 }, clock, report),
    ).rejects.toThrow(
      `GitHub.Network is still Registering in subscription ${SUBSCRIPTION} after 1m00s (timeout 1m00s). Registration goes on in Azure: run pulumi up again later, or check it with \`az provider show --namespace GitHub.Network --query registrationState\`.`,
    );
    // 25 s, 25 s, then only the 10 s left before the deadline.
    expect(clock.sleeps).toEqual([25_000, 25_000, 10_000]);
    expect(progress.at(-1)).toBe("waiting for GitHub.Network to be Registered: Registering after 50s of 1m00s; next check in 10s");
    expect(emulator.calls().filter((c) => c.startsWith("POST"))).toEqual([
      `POST ${providerPath("GitHub.Network")}/register?api-version=2021-04-01`,
    ]);
    expect(emulator.calls().length).toBe(5);
  });

  it("explains what to do when the identity may not register providers", async () => {
    emulator = await startEmulator({
      providers: { "GitHub.Network": { registrationState: "NotRegistered" }, "Microsoft.Network": { registrationState: "Registered" } },
      faults: [
        {
          method: "POST",
          path: /\/register$/,
          times: 1,
          status: 403,
          code: "AuthorizationFailed",
          message: `The client does not have authorization to perform action 'GitHub.Network/register/action' over scope '/subscriptions/${SUBSCRIPTION}'.`,
        },
      ],
    });
    const { clock, client, report } = setup(emulator.url);
    const failure = ensureProvidersRegistered(client, REQUEST, clock, report);
    await expect(failure).rejects.toThrow(
      `cannot register GitHub.Network in subscription ${SUBSCRIPTION}: AuthorizationFailed: The client does not have authorization to perform action 'GitHub.Network/register/action' over scope '/subscriptions/${SUBSCRIPTION}'.\n` +
        "  Registering needs the register action, which Contributor and Owner include. Ask an admin to run `az provider register --namespace GitHub.Network`, then set registerResourceProvider: false.",
    );
  });

  it("rides out a 503 while polling", async () => {
    emulator = await startEmulator({
      providers: {
        "GitHub.Network": { registrationState: "NotRegistered", afterRegister: ["Registered"], networkSettingsLocations: ["East US"] },
        "Microsoft.Network": { registrationState: "Registered" },
      },
      faults: [{ method: "GET", path: /GitHub\.Network$/, times: 1, status: 503, code: "ServiceUnavailable", message: "try later" }],
    });
    const { clock, client, report } = setup(emulator.url);
    const outcome = await ensureProvidersRegistered(client, REQUEST, clock, report);
    expect(outcome.registrationStates["GitHub.Network"]).toBe("Registered");
    expect(clock.sleeps).toEqual([750, 10_000]);
  });

  it("fails before anything else is created when ARM does not offer networkSettings in the region", async () => {
    emulator = await startEmulator();
    const { clock, client, report } = setup(emulator.url);
    await expect(ensureProvidersRegistered(client, { ...REQUEST, locations: ["eastus", "West Europe"] }, clock, report)).rejects.toThrow(
      `ARM does not offer GitHub.Network/networkSettings in westeurope for subscription ${SUBSCRIPTION}; it does in: ${CANONICAL_LOCATIONS.join(", ")}. Choose one of those for this network.`,
    );
  });

  it("names every region of a shared registration that ARM does not offer", async () => {
    emulator = await startEmulator();
    const { clock, client, report } = setup(emulator.url);
    await expect(
      ensureProvidersRegistered(client, { ...REQUEST, locations: ["westeurope", "eastus", "Spain Central", "westeurope"] }, clock, report),
    ).rejects.toThrow(
      `ARM does not offer GitHub.Network/networkSettings in westeurope, spaincentral for subscription ${SUBSCRIPTION}; it does in: ${CANONICAL_LOCATIONS.join(", ")}. Choose one of those for these networks.`,
    );
  });
});

describe("provisionRegistration and refreshRegistration", () => {
  it("return the id and outputs the dynamic provider reports, with no token in them", async () => {
    emulator = await startEmulator({
      providers: {
        "GitHub.Network": {
          registrationState: "NotRegistered",
          afterRegister: ["Registered"],
          networkSettingsLocations: ["West US 2", "East US"],
        },
        "Microsoft.Network": { registrationState: "Registered" },
      },
    });
    const clock = fakeClock();
    const progress: string[] = [];
    const dependencies = {
      client: { baseUrl: emulator.url, credential: fixedCredential() },
      clock,
      progress: (m: string) => void progress.push(m),
    };
    const created = await provisionRegistration(REQUEST, dependencies);
    expect(created).toEqual({
      id: `/subscriptions/${SUBSCRIPTION}/providers/GitHub.Network+Microsoft.Network/registration`,
      outs: {
        ...REQUEST,
        registrationStates: { "GitHub.Network": "Registered", "Microsoft.Network": "Registered" },
        registeredNow: ["GitHub.Network"],
        networkSettingsLocations: ["eastus", "westus2"],
      },
    });
    expectNoToken(JSON.stringify(created), progress.join("\n"));

    emulator.state.providers["GitHub.Network"].registrationState = "Unregistering";
    const refreshed = await refreshRegistration(created.id, created.outs, { client: dependencies.client });
    expect(refreshed).toEqual({
      id: created.id,
      props: { ...created.outs, registrationStates: { "GitHub.Network": "Unregistering", "Microsoft.Network": "Registered" } },
    });
    expect(emulator.calls().filter((c) => c.startsWith("POST")).length).toBe(1);
  });
});

describe("networkSettingsLocations", () => {
  it.each([
    [undefined, []],
    [{ namespace: "GitHub.Network", registrationState: "Registered" }, []],
    [
      {
        namespace: "GitHub.Network",
        registrationState: "Registered",
        resourceTypes: [{ resourceType: "operations", locations: ["East US"] }],
      },
      [],
    ],
    [
      {
        namespace: "GitHub.Network",
        registrationState: "Registered",
        resourceTypes: [{ resourceType: "networkSettings", locations: ["West US 2", "East US", "EastUS"] }],
      },
      ["eastus", "westus2"],
    ],
    [
      {
        namespace: "GitHub.Network",
        registrationState: "Registered",
        resourceTypes: [{ resourceType: "NetworkSettings", locations: ["UK South"] }],
      },
      ["uksouth"],
    ],
  ])("%j gives %j", (provider, expected) => {
    expect(networkSettingsLocations(provider)).toEqual(expected);
  });
});

describe("registrationDiff", () => {
  const olds = { ...REQUEST, __provider: "old code", registrationStates: { "GitHub.Network": "Registered" } };
  it.each([
    ["nothing changed but the provider code", { ...REQUEST, __provider: "new code" }, { changes: false, replaces: [] }],
    [
      "another subscription",
      { ...REQUEST, subscriptionId: "00000000-0000-0000-0000-000000000001" },
      { changes: true, replaces: ["subscriptionId"] },
    ],
    ["another namespace", { ...REQUEST, namespaces: ["GitHub.Network"] }, { changes: true, replaces: [] }],
    ["a longer timeout", { ...REQUEST, timeoutSeconds: 3600 }, { changes: true, replaces: [] }],
    ["another region", { ...REQUEST, locations: ["westus2"] }, { changes: true, replaces: [] }],
    ["one more region", { ...REQUEST, locations: ["eastus", "westus2"] }, { changes: true, replaces: [] }],
  ])("%s", (_what, news, expected) => {
    expect(registrationDiff(olds, news)).toEqual(expected);
  });
});

describe("registration settings", () => {
  it.each([
    [{ namespaces: ["GitHub.Network"], timeoutSeconds: 900, pollIntervalSeconds: 10 }, []],
    [
      { namespaces: [], timeoutSeconds: 900, pollIntervalSeconds: 10 },
      ["namespaces: must list at least one namespace, such as GitHub.Network"],
    ],
    [
      { namespaces: ["GitHub.Network", "github"], timeoutSeconds: 900, pollIntervalSeconds: 10 },
      ['namespaces[1]: "github" is not a resource provider namespace such as GitHub.Network'],
    ],
    [
      { namespaces: ["GitHub.Network"], timeoutSeconds: 0, pollIntervalSeconds: 10 },
      ["timeoutSeconds: 0 is not allowed; use whole seconds 1-86400"],
    ],
    [
      { namespaces: ["GitHub.Network"], timeoutSeconds: 90_000, pollIntervalSeconds: 10 },
      ["timeoutSeconds: 90000 is not allowed; use whole seconds 1-86400"],
    ],
    [
      { namespaces: ["GitHub.Network"], timeoutSeconds: 900, pollIntervalSeconds: 2.5 },
      ["pollIntervalSeconds: 2.5 is not allowed; use whole seconds 1-600"],
    ],
  ])("%j", (settings, expected) => {
    expect(registrationSettingsProblems(settings)).toEqual(expected);
  });

  it("reads a request from the resource's inputs, leaving Pulumi's own keys out", () => {
    expect(registrationRequestFrom({ ...REQUEST, __provider: "code" })).toEqual(REQUEST);
    const { locations: _locations, ...withoutLocations } = REQUEST;
    expect(registrationRequestFrom({ ...withoutLocations })).toEqual(withoutLocations);
    // State written before 0.2.0 holds one `location`.
    expect(registrationRequestFrom({ ...withoutLocations, location: "eastus" })).toEqual(REQUEST);
  });

  it("refuses inputs that are not a subscription id", () => {
    expect(() => registrationRequestFrom({ ...REQUEST, subscriptionId: "my-sub", timeoutSeconds: -1 })).toThrow(
      'invalid provider registration inputs:\n  subscriptionId: "my-sub" is not a subscription id (a GUID)\n  timeoutSeconds: -1 is not allowed; use whole seconds 1-86400',
    );
  });
});

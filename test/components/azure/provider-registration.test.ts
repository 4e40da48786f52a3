/** The registration resource as the component and the stack use it, under Pulumi's mocks. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PLACEHOLDER_SUBSCRIPTION } from "../../../cli/offline-engine";
import { validateStackConfig } from "../../../components/lib/stack-config";
import { REPO } from "../../support/cli";
import { runOffline } from "../../support/offline";

// Program modules are imported after the mocks are installed (runOffline installs them first).
const loadComponent = () => import("../../../components/github-runner-network");
const loadRegistration = () => import("../../../components/azure/provider-registration");

const REGISTRATION_TYPE = "pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration";

describe("GitHubRunnerNetwork registers the resource providers first", async () => {
  const { GitHubRunnerNetwork } = await loadComponent();
  const run = await runOffline(() => {
    new GitHubRunnerNetwork("east", {
      location: "East US",
      businessId: "12345678",
      addressSpace: "10.40.0.0/16",
      maxConcurrentRunners: 100,
    });
    new GitHubRunnerNetwork("lz", {
      location: "westus2",
      businessId: "12345678",
      existingVirtualNetwork: { name: "lz-vnet", resourceGroupName: "lz-rg" },
      subnetPrefix: "10.50.1.0/24",
      registerResourceProvider: false,
    });
    return {};
  });

  it("as a child of the component, with exactly these inputs", () => {
    const registration = run.byName("east-provider-registration");
    expect(registration.type).toBe(REGISTRATION_TYPE);
    expect(registration.custom).toBe(true);
    expect(registration.parent).toBe(run.byName("east").urn);
    expect(registration.inputs).toEqual({
      subscriptionId: PLACEHOLDER_SUBSCRIPTION,
      namespaces: ["GitHub.Network", "Microsoft.Network"],
      locations: ["eastus"],
      timeoutSeconds: 900,
      pollIntervalSeconds: 10,
    });
    expect(registration.dependencies).toEqual([]);
    expect(registration.options).toEqual({});
  });

  it("before the delegated subnet and the networkSettings", () => {
    const urn = run.byName("east-provider-registration").urn;
    expect(run.byName("east-network-settings").dependencies).toEqual(
      [run.byName("east-rg").urn, run.byName("east-subnet").urn, urn].sort(),
    );
    expect(run.byName("east-subnet").dependencies).toContain(urn);
    // Nothing else waits for it: the VNET, NSG and egress are Microsoft.Network's, which ARM registers on first use.
    const waiting = run.resources
      .filter((r) => r.dependencies.includes(urn))
      .map((r) => r.name)
      .sort();
    expect(waiting).toEqual(["east-network-settings", "east-subnet"]);
  });

  it("and leaves it out when registerResourceProvider is false", () => {
    expect(run.resources.filter((r) => r.type === REGISTRATION_TYPE).map((r) => r.name)).toEqual(["east-provider-registration"]);
    expect(run.byName("lz-network-settings").dependencies).toEqual([run.byName("lz-subnet").urn]);
    expect(run.byName("lz-subnet").dependencies).toEqual([run.byName("lz-nat").urn, run.byName("lz-nsg").urn].sort());
  });
});

describe("ProviderRegistration on its own", async () => {
  const { ProviderRegistration } = await loadRegistration();

  it("refuses bad settings before registering anything", async () => {
    let thrown: unknown;
    const run = await runOffline(() => {
      try {
        new ProviderRegistration("reg", {
          subscriptionId: PLACEHOLDER_SUBSCRIPTION,
          namespaces: ["GitHub.Network", "nope"],
          timeoutSeconds: 0,
        });
      } catch (error) {
        thrown = error;
      }
      return {};
    });
    expect((thrown as Error).message).toBe(
      'ProviderRegistration "reg" has invalid arguments:\n  namespaces[1]: "nope" is not a resource provider namespace such as GitHub.Network\n  timeoutSeconds: 0 is not allowed; use whole seconds 1-86400',
    );
    expect(run.resources.filter((r) => r.type === REGISTRATION_TYPE)).toEqual([]);
  });

  it("takes its namespaces, timeout and poll interval from its arguments", async () => {
    const run = await runOffline(() => {
      new ProviderRegistration("reg", {
        subscriptionId: PLACEHOLDER_SUBSCRIPTION,
        namespaces: ["GitHub.Network"],
        timeoutSeconds: 3600,
        pollIntervalSeconds: 30,
      });
      return {};
    });
    expect(run.byName("reg").inputs).toEqual({
      subscriptionId: PLACEHOLDER_SUBSCRIPTION,
      namespaces: ["GitHub.Network"],
      timeoutSeconds: 3600,
      pollIntervalSeconds: 30,
    });
  });
});

describe("registerResourceProvider in the stack config", () => {
  const config = (value: unknown) => ({
    github: { businessId: "12345678", scope: "organization", slug: "my-org" },
    networks: [{ name: "primary", location: "eastus", maxConcurrentRunners: 10, registerResourceProvider: value }],
  });

  it.each([[true], [false]])("accepts %s", (value) => {
    const result = validateStackConfig(config(value));
    expect(result.ok && result.value.networks[0].registerResourceProvider).toBe(value);
  });

  it("refuses anything but a boolean, naming the key path", () => {
    expect(validateStackConfig(config("no"))).toEqual({
      ok: false,
      issues: [
        {
          path: "networks[0].registerResourceProvider",
          message: '"no" is not allowed; true (default: register GitHub.Network and Microsoft.Network during pulumi up) or false',
        },
      ],
    });
  });
});

describe("what each side of a registration loads", () => {
  it("declaring one loads no ARM code; the provider process loads Azure's HTTP pipeline only with its first ARM client", async () => {
    // A fresh process: the test runner's own module cache says nothing about Node's.
    const script = `
      const loaded = () => Object.keys(require.cache)
        .map((file) => file.slice(process.cwd().length + 1))
        .filter((file) => /components\\/azure\\/(registration|arm-client)\\.ts$|@azure\\/(core-rest-pipeline|identity)\\//.test(file))
        .map((file) => file.replace(/node_modules\\/(@azure\\/[^/]+)\\/.*/, "$1"));
      require("./components/index.ts");
      const declared = loaded();
      require("./components/dynamic-providers.ts");
      const provider = loaded();
      const { ArmClient } = require("./components/azure/arm-client.ts");
      new ArmClient({ baseUrl: "http://127.0.0.1:9", credential: { getToken: async () => null } });
      console.log(JSON.stringify({ declared, provider, client: [...new Set(loaded())] }));`;
    const { stdout } = await promisify(execFile)(join(REPO, "node_modules", ".bin", "tsx"), ["-e", script], { cwd: REPO });
    expect(JSON.parse(stdout)).toEqual({
      declared: [],
      provider: ["components/azure/registration.ts", "components/azure/arm-client.ts"],
      client: ["components/azure/registration.ts", "components/azure/arm-client.ts", "@azure/core-rest-pipeline"],
    });
  }, 60_000);
});

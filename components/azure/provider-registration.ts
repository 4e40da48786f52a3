/**
 * `ProviderRegistration`: a Pulumi dynamic resource that makes sure resource provider namespaces
 * (by default GitHub.Network and Microsoft.Network) are registered in a subscription before
 * resources that need them are created, and that never unregisters anything.
 *
 * Pulumi runs a dynamic provider in a separate process from the text of its serialized closure,
 * which is also kept in the state. The closure is kept tiny on purpose: apart from the import-free
 * diff, the provider's methods `require` the Pulumi-free registration module when they run instead
 * of capturing its code (serializing that code by value would be slow and breaks subclasses of
 * Error). The module is found by its path relative to the Pulumi project directory, which is the
 * working directory of both the program and the provider process, so no path of this machine
 * lands in the state.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_PROVIDER_NAMESPACES } from "./arm-resources";
import { registrationDiff } from "./registration-diff";
import { DEFAULT_REGISTRATION_POLL_SECONDS, DEFAULT_REGISTRATION_TIMEOUT_SECONDS, registrationSettingsProblems } from "./registration";

/** Module, and type name, of the resource: `pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration`. */
export const PROVIDER_REGISTRATION_MODULE = "azure-github-runner-network";
export const PROVIDER_REGISTRATION_TYPE = `pulumi-nodejs:dynamic/${PROVIDER_REGISTRATION_MODULE}:ProviderRegistration`;

/** registration.ts/.js without extension, relative to the project directory, with `/` separators. */
const REGISTRATION_MODULE_PATH = path.relative(process.cwd(), path.join(__dirname, "registration")).split(path.sep).join("/");

/**
 * Loads the registration module inside Pulumi's provider process. A compiled package has
 * registration.js beside this file; a TypeScript checkout (as `pulumi up` runs this project)
 * has only registration.ts, which needs ts-node's loader, as Pulumi itself uses for the program.
 */
function loadRegistrationModule(relativePath: string): typeof import("./registration") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const modulePath = (require("path") as typeof import("path")).resolve(process.cwd(), relativePath);
  if (!fs.existsSync(`${modulePath}.js`) && !fs.existsSync(`${modulePath}.ts`)) {
    throw new Error(`cannot find ${relativePath}(.js|.ts) under ${process.cwd()}: run pulumi from the project directory the stack was deployed from`);
  }
  if (!fs.existsSync(`${modulePath}.js`)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modulePath);
}

/** The provider Pulumi serializes; every method but diff (carried by value) defers to the registration module. */
export const registrationProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds, news) {
    return registrationDiff(olds, news);
  },
  async create(inputs) {
    const registration = loadRegistrationModule(REGISTRATION_MODULE_PATH);
    return registration.provisionRegistration(registration.registrationRequestFrom(inputs));
  },
  async update(_id, _olds, news) {
    const registration = loadRegistrationModule(REGISTRATION_MODULE_PATH);
    return { outs: (await registration.provisionRegistration(registration.registrationRequestFrom(news))).outs };
  },
  async read(id, props) {
    const registration = loadRegistrationModule(REGISTRATION_MODULE_PATH);
    return registration.refreshRegistration(id, props);
  },
  async delete() {
    // Never unregister: other resources in the subscription may use the provider, and ARM
    // refuses to unregister a namespace whose resource types are still in use.
  },
};

export interface ProviderRegistrationArgs {
  /** Subscription to register in; the component passes the Azure provider's own. */
  subscriptionId: pulumi.Input<string>;
  /** Default: GitHub.Network and Microsoft.Network. */
  namespaces?: string[];
  /** Fail before anything else is created when ARM does not offer networkSettings here. */
  location?: pulumi.Input<string>;
  /** How long to wait for `Registered`. Default 900 (15 minutes). */
  timeoutSeconds?: number;
  /** Pause between state checks. Default 10. */
  pollIntervalSeconds?: number;
}

/**
 * Registers resource provider namespaces in a subscription if needed and waits until they are
 * `Registered`; deleting it leaves the registration in place.
 */
export class ProviderRegistration extends pulumi.dynamic.Resource {
  /** State per namespace after create or refresh, e.g. `{ "GitHub.Network": "Registered" }`. */
  public readonly registrationStates!: pulumi.Output<Record<string, string>>;
  /** Namespaces this resource registered (the others already were). */
  public readonly registeredNow!: pulumi.Output<string[]>;
  /** Regions (canonical names) where ARM offers GitHub.Network/networkSettings. */
  public readonly networkSettingsLocations!: pulumi.Output<string[]>;

  constructor(name: string, args: ProviderRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
    const settings = {
      namespaces: args.namespaces ?? [...REQUIRED_PROVIDER_NAMESPACES],
      timeoutSeconds: args.timeoutSeconds ?? DEFAULT_REGISTRATION_TIMEOUT_SECONDS,
      pollIntervalSeconds: args.pollIntervalSeconds ?? DEFAULT_REGISTRATION_POLL_SECONDS,
    };
    const problems = registrationSettingsProblems(settings);
    if (problems.length) throw new pulumi.RunError(`ProviderRegistration "${name}" has invalid arguments:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    super(
      registrationProvider,
      name,
      {
        subscriptionId: args.subscriptionId,
        ...settings,
        ...(args.location === undefined ? {} : { location: args.location }),
        registrationStates: undefined,
        registeredNow: undefined,
        networkSettingsLocations: undefined,
      },
      opts,
      PROVIDER_REGISTRATION_MODULE,
      "ProviderRegistration",
    );
  }
}

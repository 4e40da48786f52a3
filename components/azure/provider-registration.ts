/**
 * `ProviderRegistration`: a Pulumi dynamic resource that makes sure resource provider namespaces
 * (by default GitHub.Network and Microsoft.Network) are registered in a subscription before
 * resources that need them are created, and that never unregisters anything.
 *
 * Pulumi runs a dynamic provider in a separate process from the text of its serialized closure,
 * which is also kept in the state. The closure is kept tiny on purpose: apart from the import-free
 * diff, the provider's methods `require` the Pulumi-free registration module when they run instead
 * of capturing its code (serializing that code by value would be slow and breaks subclasses of
 * Error). The module is looked up first by its path relative to the Pulumi project directory,
 * which is the working directory of both the program and the provider process, so the state stays
 * usable from another checkout; then at the absolute path where the program found it, for a
 * provider process started elsewhere (this package run as a component plugin).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_PROVIDER_NAMESPACES } from "./arm-resources";
import { registrationDiff } from "./registration-diff";
import { DEFAULT_REGISTRATION_POLL_SECONDS, DEFAULT_REGISTRATION_TIMEOUT_SECONDS, registrationSettingsProblems } from "./registration";

/** Module, and type name, of the resource: `pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration`. */
export const PROVIDER_REGISTRATION_MODULE = "azure-github-runner-network";
export const PROVIDER_REGISTRATION_TYPE = `pulumi-nodejs:dynamic/${PROVIDER_REGISTRATION_MODULE}:ProviderRegistration`;

/** Where the provider process looks for registration.ts/.js (paths without the extension). */
interface ModuleLocation {
  /** From the project directory, with `/` separators: the same on any machine with the same layout. */
  relative: string;
  /** Where this program found it: for a provider process started elsewhere (a component plugin). */
  absolute: string;
}

const REGISTRATION_MODULE: ModuleLocation = {
  relative: path.relative(process.cwd(), path.join(__dirname, "registration")).split(path.sep).join("/"),
  absolute: path.join(__dirname, "registration"),
};

/**
 * Loads the registration module inside Pulumi's provider process. A compiled package has
 * registration.js beside this file; a TypeScript checkout (as `pulumi up` runs this project)
 * has only registration.ts, which needs ts-node's loader, as Pulumi itself uses for the program.
 */
function loadRegistrationModule(location: ModuleLocation): typeof import("./registration") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  const exists = (base: string) => fs.existsSync(`${base}.js`) || fs.existsSync(`${base}.ts`);
  const modulePath = [path.resolve(process.cwd(), location.relative), location.absolute].find(exists);
  if (!modulePath) {
    throw new Error(`cannot find the registration module: looked for ${location.relative}(.js|.ts) under ${process.cwd()} and at ${location.absolute}(.js|.ts); run pulumi where the stack's program and its node_modules are`);
  }
  if (!fs.existsSync(`${modulePath}.js`)) {
    // Resolved beside the module: the provider process may run in a directory without node_modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(require.resolve("ts-node", { paths: [path.dirname(modulePath)] })).register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
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
    const registration = loadRegistrationModule(REGISTRATION_MODULE);
    return registration.provisionRegistration(registration.registrationRequestFrom(inputs));
  },
  async update(_id, _olds, news) {
    const registration = loadRegistrationModule(REGISTRATION_MODULE);
    return { outs: (await registration.provisionRegistration(registration.registrationRequestFrom(news))).outs };
  },
  async read(id, props) {
    const registration = loadRegistrationModule(REGISTRATION_MODULE);
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

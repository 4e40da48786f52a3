/**
 * The stand-in's resource provider: check (autonaming), diff, create, read, update and delete of
 * the types in resource-types.ts against ARM, and the `getClientConfig` invoke, behaving as
 * azure-native 3.x does for them.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type * as provider from "@pulumi/pulumi/provider";
import { ArmError } from "../../../components/azure/arm-client";
import { diffInputs, type InputDiff } from "./diff";
import { resourceTypeSpec, type Inputs, type ResourceTypeSpec } from "./resource-types";
import { armBody, inputsOf, outputsFrom, reveal } from "./shapes";
import type { StandInSettings } from "./settings";

/** The engine only takes a plugin of the version the SDK asks for. */
export const AZURE_NATIVE_VERSION = (
  JSON.parse(readFileSync(require.resolve("@pulumi/azure-native/package.json"), "utf8")) as { version: string }
).version;

export const GET_CLIENT_CONFIG = "azure-native:authorization:getClientConfig";

/** azure-native names resources with Pulumi's unique-hex rule: 8 random hex digits, no dash. */
const AUTONAME_SUFFIX_BYTES = 4;

/** `urn:pulumi:stack::project::parent$type::name` to its type and name. */
function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  return { type: parts[2].split("$").pop()!, name: parts.slice(3).join("::") };
}

/** azure-native's autoname: the Pulumi name and 8 random hex digits. */
function autoname(name: string): string {
  return `${name}${randomBytes(AUTONAME_SUFFIX_BYTES).toString("hex")}`;
}

/** ARM's refusal as the provider error the engine prints: code and message first. */
function providerError(error: unknown): Error {
  if (error instanceof ArmError) return new Error(`${error.code}: ${error.armMessage} (HTTP ${error.status}, ${error.request})`);
  return error instanceof Error ? error : new Error(String(error));
}

async function armCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw providerError(error);
  }
}

function tokenClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export class AzureNativeStandIn implements provider.Provider {
  readonly version = AZURE_NATIVE_VERSION;

  constructor(private readonly settings: StandInSettings) {}

  check(urn: string, olds: Inputs, news: Inputs): Promise<provider.CheckResult> {
    const { type, name } = parseUrn(urn);
    const spec = resourceTypeSpec(type);
    const inputs = { ...news };
    // Keep the name given on an earlier check: a new suffix on every preview would be a replacement.
    if (inputs[spec.nameInput] === undefined) inputs[spec.nameInput] = olds?.[spec.nameInput] ?? autoname(name);
    if (spec.token === "azure-native:resources:Resource") inputs.parentResourcePath ??= "";
    const failures = spec.requiredInputs
      .filter((key) => inputs[key] === undefined || inputs[key] === null)
      .map((key) => ({ property: key, reason: `missing required property '${key}'` }));
    return Promise.resolve({ inputs, failures });
  }

  /** What `diff` reports, with the detailed diff the gRPC hook sends along. */
  detailedDiff(urn: string, olds: Inputs, news: Inputs): InputDiff {
    return diffInputs(resourceTypeSpec(parseUrn(urn).type), inputsOf(olds), reveal(news) as Inputs);
  }

  diff(_id: string, urn: string, olds: Inputs, news: Inputs): Promise<provider.DiffResult> {
    const diff = this.detailedDiff(urn, olds, news);
    return Promise.resolve({ changes: diff.changed.length > 0, replaces: diff.replaces });
  }

  async create(urn: string, news: Inputs): Promise<provider.CreateResult> {
    const spec = resourceTypeSpec(parseUrn(urn).type);
    const inputs = reveal(news) as Inputs;
    const path = spec.path(inputs, this.settings.subscriptionId());
    const apiVersion = spec.apiVersion(inputs);
    const arm = this.settings.arm();
    // azure-native refuses to take over a resource it did not create.
    if (await armCall(() => arm.getIfExists(path, apiVersion)))
      throw new Error(`cannot create already existing resource '${path}'; import it to manage it with Pulumi`);
    const answer = await armCall(() => arm.request<Inputs>({ method: "PUT", path, apiVersion, body: armBody(spec, inputs) }));
    return { id: path, outs: outputsFrom(spec, answer.body ?? {}, inputs) };
  }

  async read(id: string, urn: string, props: Inputs): Promise<provider.ReadResult> {
    const spec = resourceTypeSpec(parseUrn(urn).type);
    const inputs = inputsOf(props ?? {});
    const answer = await armCall(() => this.settings.arm().getIfExists<Inputs>(id, this.apiVersionFor(spec, inputs)));
    // Gone from Azure: an empty ID tells the engine to drop it from the state.
    if (!answer) return { id: "", props: {} };
    return { id, props: outputsFrom(spec, answer, inputs), inputs };
  }

  async update(id: string, urn: string, _olds: Inputs, news: Inputs): Promise<provider.UpdateResult> {
    const spec = resourceTypeSpec(parseUrn(urn).type);
    const inputs = reveal(news) as Inputs;
    const answer = await armCall(() =>
      this.settings.arm().request<Inputs>({ method: "PUT", path: id, apiVersion: spec.apiVersion(inputs), body: armBody(spec, inputs) }),
    );
    return { outs: outputsFrom(spec, answer.body ?? {}, inputs) };
  }

  async delete(id: string, urn: string, props: Inputs): Promise<void> {
    const spec = resourceTypeSpec(parseUrn(urn).type);
    try {
      await this.settings.arm().request({ method: "DELETE", path: id, apiVersion: this.apiVersionFor(spec, inputsOf(props ?? {})) });
    } catch (error) {
      // Already gone is what a delete wants.
      if (error instanceof ArmError && error.status === 404) return;
      throw providerError(error);
    }
  }

  async invoke(token: string, _inputs: Inputs): Promise<provider.InvokeResult> {
    if (token !== GET_CLIENT_CONFIG) throw new Error(`the azure-native stand-in does not model the function ${token}`);
    // As azure-native: the identity's object id (and, lacking configuration, tenant and app) from the token's claims.
    const claims = tokenClaims(await armCall(() => this.settings.arm().accessToken()));
    const claim = (name: string) => (typeof claims[name] === "string" ? claims[name] : "");
    return {
      outputs: {
        subscriptionId: this.settings.subscriptionId(),
        tenantId: this.settings.tenantId() ?? claim("tid"),
        clientId: this.settings.clientId() ?? claim("appid"),
        objectId: claim("oid"),
      },
    };
  }

  /** The generic resource reads and deletes with the API version it was created with. */
  private apiVersionFor(spec: ResourceTypeSpec, inputs: Inputs): string {
    const version = spec.apiVersion(inputs);
    if (!version) throw new Error(`no API version for ${spec.token}: its state holds no apiVersion input`);
    return version;
  }
}

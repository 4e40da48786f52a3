/**
 * Where the stand-in sends its ARM calls and as whom: the local emulator only (the package's own
 * loopback-only test endpoint variable), with a token from the emulator's App Service managed
 * identity endpoint, in the subscription the provider is configured for.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import { ArmClient } from "../../../components/azure/arm-client";
import { TEST_ARM_ENDPOINT_VARIABLE, testArmEndpointFrom } from "../../../components/azure/arm-endpoint";

/** The provider configuration keys the stand-in reads (`azure-native:<key>`). */
export interface ProviderConfig {
  subscriptionId?: string;
  tenantId?: string;
  clientId?: string;
}

/**
 * Long-running operations are polled at most this far apart, whatever Retry-After says: the
 * emulator asks for seconds, and engine tests run many operations.
 */
const LONGEST_WAIT_MS = 200;

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** A token from an App Service managed identity endpoint (IDENTITY_ENDPOINT with IDENTITY_HEADER), as the emulator serves one. */
class ManagedIdentityEndpointCredential implements TokenCredential {
  constructor(
    private readonly endpoint: URL,
    private readonly secretHeader: string,
  ) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const resource = ([] as string[]).concat(scopes)[0].replace(/\/\.default$/, "");
    const url = new URL(this.endpoint);
    url.searchParams.set("resource", resource);
    url.searchParams.set("api-version", "2019-08-01");
    const response = await fetch(url, { headers: { "X-IDENTITY-HEADER": this.secretHeader } });
    if (!response.ok) throw new Error(`the managed identity endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token?: string; expires_on?: string };
    if (!body.access_token) throw new Error("the managed identity endpoint answered without access_token");
    return { token: body.access_token, expiresOnTimestamp: Number(body.expires_on ?? 0) * 1000 };
  }
}

function identityCredential(env: NodeJS.ProcessEnv): TokenCredential {
  const { IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: header } = env;
  if (!endpoint || !header)
    throw new Error(
      "the azure-native stand-in signs in through the emulator's managed identity endpoint: set IDENTITY_ENDPOINT and IDENTITY_HEADER",
    );
  const url = new URL(endpoint);
  if (url.protocol !== "http:" || !LOOPBACK_HOSTS.includes(url.hostname))
    throw new Error(`IDENTITY_ENDPOINT must be a loopback http URL for the azure-native stand-in, not ${url.origin}`);
  return new ManagedIdentityEndpointCredential(url, header);
}

export class StandInSettings {
  private config: ProviderConfig = {};
  private client?: ArmClient;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** From the engine's Configure call: `azure-native:subscriptionId` and friends. */
  configure(values: Record<string, unknown>): void {
    const text = (key: keyof ProviderConfig) => (typeof values[key] === "string" && values[key] !== "" ? values[key] : undefined);
    this.config = { subscriptionId: text("subscriptionId"), tenantId: text("tenantId"), clientId: text("clientId") };
  }

  subscriptionId(): string {
    const subscriptionId = this.config.subscriptionId ?? this.env.ARM_SUBSCRIPTION_ID;
    if (!subscriptionId) throw new Error("no subscription: set azure-native:subscriptionId in the stack's config or ARM_SUBSCRIPTION_ID");
    return subscriptionId;
  }

  tenantId(): string | undefined {
    return this.config.tenantId ?? this.env.ARM_TENANT_ID;
  }

  clientId(): string | undefined {
    return this.config.clientId ?? this.env.ARM_CLIENT_ID;
  }

  arm(): ArmClient {
    if (this.client) return this.client;
    const baseUrl = testArmEndpointFrom(this.env);
    if (!baseUrl) throw new Error(`the azure-native stand-in only talks to the local ARM emulator: set ${TEST_ARM_ENDPOINT_VARIABLE}`);
    this.client = new ArmClient({
      baseUrl,
      credential: identityCredential(this.env),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, LONGEST_WAIT_MS))),
      operationTimeoutMs: 120_000,
    });
    return this.client;
  }
}

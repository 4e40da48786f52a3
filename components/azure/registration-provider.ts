/**
 * The dynamic provider behind ProviderRegistration, as Pulumi's provider process runs it (loaded
 * through the package's dynamic-providers entry point; the resource carries a proxy).
 */
import type { CompleteProvider } from "../dynamic-proxy";
import { testArmEndpointFrom } from "./arm-endpoint";
import { provisionRegistration, refreshRegistration, registrationRequestFrom, type RegistrationOutcome } from "./registration";
import { registrationDiff } from "./registration-diff";

/** The provider process's environment is its only channel for the local-emulator endpoint. */
const clientOptions = () => ({ baseUrl: testArmEndpointFrom(process.env) });

type Props = Record<string, unknown>;

export const registrationProvider: CompleteProvider = {
  check: (_olds, news: Props) => Promise.resolve({ inputs: news }),
  // Inside a promise, so a throw reaches Pulumi as a rejection.
  diff: (_id, olds: Props, news: Props) => Promise.resolve().then(() => registrationDiff(olds, news)),
  async create(inputs: Props) {
    return provisionRegistration(registrationRequestFrom(inputs), { client: clientOptions() });
  },
  async update(_id, _olds, news: Props) {
    return { outs: (await provisionRegistration(registrationRequestFrom(news), { client: clientOptions() })).outs };
  },
  read(id, props: Props) {
    return refreshRegistration(id, props as unknown as RegistrationOutcome, { client: clientOptions() });
  },
  delete() {
    // Never unregister: other resources in the subscription may use the provider, and ARM
    // refuses to unregister a namespace whose resource types are still in use.
    return Promise.resolve();
  },
};

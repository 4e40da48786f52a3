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

export const registrationProvider: CompleteProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    return registrationDiff(olds, news);
  },
  async create(inputs) {
    return provisionRegistration(registrationRequestFrom(inputs), { client: clientOptions() });
  },
  async update(_id, _olds, news) {
    return { outs: (await provisionRegistration(registrationRequestFrom(news), { client: clientOptions() })).outs };
  },
  async read(id, props) {
    return refreshRegistration(id, props as RegistrationOutcome, { client: clientOptions() });
  },
  async delete() {
    // Never unregister: other resources in the subscription may use the provider, and ARM
    // refuses to unregister a namespace whose resource types are still in use.
  },
};

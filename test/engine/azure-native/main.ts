/**
 * Entry point of the stand-in `pulumi-resource-azure-native` plugin (bin/ launches it): the
 * engine starts it with its own address and reads the port it listens on from stdout, so
 * nothing else may be printed there.
 */
import * as provider from "@pulumi/pulumi/provider";
import { hookProviderService } from "./grpc-hooks";
import { AzureNativeStandIn } from "./provider";
import { StandInSettings } from "./settings";

const settings = new StandInSettings();
const standIn = new AzureNativeStandIn(settings);
hookProviderService({
  configure: (config) => settings.configure(config),
  diff: (urn, olds, news) => standIn.detailedDiff(urn, olds, news),
});
void provider.main(standIn, process.argv.slice(2));

/**
 * The deployable stack: one GitHubRunnerNetwork per configured network, and the outputs a
 * GitHub admin needs next. Shared by `pulumi up` (infra/index.ts) and the offline plan.
 */
import * as pulumi from "@pulumi/pulumi";
import { GitHubRunnerNetwork } from "../components/github-runner-network";
import { validateStackConfig, type ValidatedStackConfig } from "../components/lib/validation";
import { CONFIG_NAMESPACE } from "./config";

export { CONFIG_NAMESPACE, readStackConfig } from "./config";

export class StackConfigError extends pulumi.RunError {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid stack config (${CONFIG_NAMESPACE}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);
  }
}

export interface NetworkOutputs {
  role: string;
  location: string;
  gitHubId: pulumi.Output<string>;
  networkSettingsId: pulumi.Output<string>;
  subnetId: pulumi.Output<string>;
  virtualNetworkId: pulumi.Output<string>;
  networkSecurityGroupId: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
  egressPublicIpAddresses: pulumi.Output<string[]>;
  runnerCapacity: pulumi.Output<number>;
}

/** What to do with the outputs, in GitHub's own menu terms. */
export function nextStepsText(config: ValidatedStackConfig): string {
  const { scope, slug } = config.github;
  const where =
    scope === "enterprise"
      ? `enterprise "${slug}": Enterprise settings > Settings > Hosted compute networking`
      : `organization "${slug}": Settings > Hosted compute networking`;
  const primary = config.networks.filter((n) => n.role === "primary").map((n) => n.name);
  const failover = config.networks.find((n) => n.role === "failover");
  return [
    `1. In GitHub, ${where}: New network configuration > Azure private network.`,
    `2. Add Azure Virtual Network and paste the gitHubId output of network ${primary.map((n) => `"${n}"`).join(" or ")}.`,
    ...(failover ? [`3. Add failover network and paste the gitHubId output of network "${failover.name}"; switch to it by hand when needed.`] : []),
    `${failover ? 4 : 3}. Attach the configuration to runner groups; larger runners in those groups then run in these subnets.`,
    "Teardown: delete the network configuration in GitHub first, then pulumi destroy.",
  ].join("\n");
}

export function deployStack(rawConfig: unknown, opts?: pulumi.ComponentResourceOptions) {
  const validated = validateStackConfig(rawConfig);
  if (!validated.ok) throw new StackConfigError(validated.issues);
  const config = validated.value;
  const networks: Record<string, NetworkOutputs> = {};
  for (const { name, role, design, ...entry } of config.networks) {
    const component = new GitHubRunnerNetwork(
      name,
      { ...entry, location: design.location, businessId: config.github.businessId, tags: { ...config.tags, ...entry.tags } },
      opts,
    );
    networks[name] = {
      role,
      location: design.location,
      gitHubId: component.gitHubId,
      networkSettingsId: component.networkSettingsId,
      subnetId: component.subnetId,
      virtualNetworkId: component.virtualNetworkId,
      networkSecurityGroupId: component.networkSecurityGroupId,
      resourceGroupName: component.resourceGroupName,
      egressPublicIpAddresses: component.egressPublicIpAddresses,
      runnerCapacity: component.runnerCapacity,
    };
  }
  return { networks, nextSteps: nextStepsText(config) };
}

/**
 * The benchmark's stacks: a stack config of N networks for the plan, and the same networks as
 * plain data for the hand-written program (bench/baseline-program.cjs), which imports nothing
 * from this repository.
 */
import { ENDPOINT_CATALOG } from "../components/lib/catalog";
import { SUPPORTED_REGIONS } from "../components/lib/regions";
import { prefixLengthFor, runnerCapacity } from "../components/lib/sizing";

/** Runners per network; the subnet is sized for them (a /24). */
const RUNNERS = 100;

export interface BenchNetwork {
  name: string;
  role: "primary" | "failover";
  location: string;
  addressSpace: string;
  subnetPrefix: string;
  maxConcurrentRunners: number;
  runnerCapacity: number;
}

/** What the hand-written program reads. */
export interface BaselineSpec {
  project: string;
  stack: string;
  tags: Record<string, string>;
  github: { businessId: string; scope: string; slug: string; configurationName: string; runnerGroup: string };
  networks: BenchNetwork[];
  gitHubIpv4: readonly string[];
  gitHubIpv6: readonly string[];
}

/**
 * N networks shaped like Pulumi.example.yaml's: NAT gateway egress, restricted outbound, regions
 * taken in turn from GitHub's x64 list, the last one the failover (from 2 networks on), and the
 * GitHub network configuration with one runner group.
 */
export function benchNetworks(count: number): BenchNetwork[] {
  if (!Number.isInteger(count) || count < 1 || count > 250) throw new Error(`networks: ${count}; 1-250 fit the 10.N.0.0/16 scheme`);
  const regions = SUPPORTED_REGIONS.x64;
  const prefixLength = prefixLengthFor(RUNNERS);
  return Array.from({ length: count }, (_, index) => ({
    name: `net-${index + 1}`,
    role: count > 1 && index === count - 1 ? "failover" : "primary",
    location: regions[index % regions.length],
    addressSpace: `10.${index + 1}.0.0/16`,
    subnetPrefix: `10.${index + 1}.0.0/${prefixLength}`,
    maxConcurrentRunners: RUNNERS,
    runnerCapacity: runnerCapacity(prefixLength),
  }));
}

const GITHUB = { businessId: "12345678", scope: "organization", slug: "my-org", configurationName: "azure-private-network" } as const;
const RUNNER_GROUP = "azure-larger-runners";
const TAGS = { owner: "platform-team" };

/** The stack config file (Pulumi.<stack>.yaml) for the plan. */
export function stackConfigYaml(networks: readonly BenchNetwork[]): string {
  const entries = networks.map(
    (n) =>
      `    - { name: ${n.name}, location: ${n.location}, addressSpace: ${n.addressSpace}, maxConcurrentRunners: ${n.maxConcurrentRunners}${n.role === "failover" ? ", role: failover" : ""} }`,
  );
  return [
    "config:",
    "  azure-github-runner-network:github:",
    `    businessId: "${GITHUB.businessId}"`,
    `    scope: ${GITHUB.scope}`,
    `    slug: ${GITHUB.slug}`,
    "    networkConfiguration:",
    `      name: ${GITHUB.configurationName}`,
    `      primaryNetwork: ${networks[0].name}`,
    "      runnerGroups:",
    `        - { name: ${RUNNER_GROUP}, create: true, visibility: all }`,
    "  azure-github-runner-network:networks:",
    ...entries,
    "  azure-github-runner-network:tags:",
    ...Object.entries(TAGS).map(([key, value]) => `    ${key}: ${value}`),
    "",
  ].join("\n");
}

/** The same stack as data for the hand-written program. */
export function baselineSpec(networks: readonly BenchNetwork[], project: string, stack: string): BaselineSpec {
  return {
    project,
    stack,
    tags: TAGS,
    github: { ...GITHUB, runnerGroup: RUNNER_GROUP },
    networks: [...networks],
    gitHubIpv4: ENDPOINT_CATALOG.ipv4,
    gitHubIpv6: ENDPOINT_CATALOG.ipv6,
  };
}

/**
 * The plan's per-network reports grow linearly: every network's NSG holds the same catalog
 * ranges, so the reachability summary (the human plan) and the requirements report (both plans)
 * parse each catalog range once per process, and each further network only its own prefixes and
 * endpoints. Counted as work (calls into the CIDR parser), not timed: the benchmark times it
 * (`npm run bench` checks the human plan against the JSON plan at 100 networks).
 */
import { describe, expect, it, vi } from "vitest";

import type * as Cidr from "../../../components/lib/cidr";

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../../components/lib/cidr", async (importOriginal) => {
  const actual = await importOriginal<typeof Cidr>();
  const counted =
    <A extends unknown[], R>(parse: (...args: A) => R) =>
    (...args: A): R => {
      parses.count++;
      return parse(...args);
    };
  return {
    ...actual,
    parseAddress: counted(actual.parseAddress),
    parseCidr: counted(actual.parseCidr),
    tryParseCidr: counted(actual.tryParseCidr),
    tryParseAddressOrCidr: counted(actual.tryParseAddressOrCidr),
  };
});

import { ENDPOINT_CATALOG } from "../../../components/lib/catalog";
import { validateComponentArgs } from "../../../components/lib/network-design";
import { summarizeReachability } from "../../../components/lib/reachability";
import { allRequirements, evaluateRequirements } from "../../../components/lib/runner-requirements";

const NETWORKS = 100;

function design(index: number) {
  const validated = validateComponentArgs({
    location: "eastus",
    businessId: "12345678",
    addressSpace: `10.${index}.0.0/16`,
    maxConcurrentRunners: 100,
  });
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues));
  return validated.value;
}

/** Both reports for one network, as the human plan makes them; returns the parser calls they made. */
function reportsFor(network: ReturnType<typeof design>): number {
  const before = parses.count;
  const common = { rules: network.securityRules, virtualNetworkPrefixes: [network.addressSpace!], subnetPrefix: network.subnetPrefix };
  summarizeReachability(common);
  evaluateRequirements({ ...common, egress: "natGateway", catalog: ENDPOINT_CATALOG }, allRequirements(ENDPOINT_CATALOG));
  return parses.count - before;
}

describe("the per-network reports parse each address once", () => {
  it(`the first network parses the catalog's ranges; each of ${NETWORKS - 1} more parses only its own prefixes and endpoints`, () => {
    const networks = Array.from({ length: NETWORKS }, (_, index) => design(index + 1));
    const first = reportsFor(networks[0]);
    const more = networks.slice(1).map(reportsFor);
    // Each catalog range: its text classified, parsed, and its two samples' addresses read.
    expect(first).toBeGreaterThan(2 * (ENDPOINT_CATALOG.ipv4.length + ENDPOINT_CATALOG.ipv6.length));
    // Each further network: its subnet (once per report), its address space (for the VNET peer's
    // sample address, which is read too, and classified once as a VirtualNetwork prefix: as a CIDR,
    // then as a list entry). The runner's own address decides no rule of the planned NSG.
    expect(new Set(more)).toEqual(new Set([6]));
  });
});

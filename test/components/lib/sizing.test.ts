import { describe, expect, it } from "vitest";
import { addressesNeeded, prefixLengthFor, runnerCapacity } from "../../../components/lib/sizing";

describe("subnet sizing (peak + 30 %, + 5 reserved)", () => {
  it.each([
    // runners, addresses needed, prefix, capacity of that prefix
    [1, 7, 29, 2],
    [2, 8, 29, 2],
    [3, 9, 28, 8],
    [8, 16, 28, 8],
    [9, 17, 27, 20],
    [20, 31, 27, 20],
    [100, 135, 24, 193],
    [193, 256, 24, 193],
    [194, 258, 23, 390],
    [300, 395, 23, 390],
    [391, 514, 22, 783],
    [390, 512, 23, 390],
    [1000, 1305, 21, 1571],
  ])("%d runners need %d addresses: /%d holding %d", (runners, needed, prefix, capacity) => {
    expect(addressesNeeded(runners)).toBe(needed);
    expect(prefixLengthFor(runners)).toBe(prefix);
    expect(runnerCapacity(prefix)).toBe(capacity);
    expect(runnerCapacity(prefix)).toBeGreaterThanOrEqual(runners);
  });

  it("capacity is the largest count whose need fits the subnet", () => {
    for (let prefix = 16; prefix <= 29; prefix++) {
      const capacity = runnerCapacity(prefix);
      expect(addressesNeeded(capacity)).toBeLessThanOrEqual(2 ** (32 - prefix));
      expect(addressesNeeded(capacity + 1)).toBeGreaterThan(2 ** (32 - prefix));
    }
  });
});

import { describe, expect, it } from "vitest";
import { asCidrText, formatCidr, tryParseAddressOrCidr } from "../../../components/lib/cidr";
import { isLoopbackUrl, LOOPBACK_HOSTS } from "../../../components/lib/loopback";
import {
  isAnyAddress,
  isAnyAddressOfEitherFamily,
  MAX_PRIORITY,
  MIN_PRIORITY,
  priorityRangeProblem,
  RULE_NAME_PATTERN,
  RULE_NAME_PROBLEM,
} from "../../../components/lib/nsg-limits";
import { addressesNeeded, RUNNER_BUFFER_PERCENT } from "../../../components/lib/sizing";

describe("bare addresses as CIDRs", () => {
  it.each([
    ["10.1.2.3", "10.1.2.3/32"],
    ["2001:db8::1", "2001:db8::1/128"],
    ["10.1.2.0/24", "10.1.2.0/24"],
    ["not-an-address", "not-an-address/32"],
  ])("%s reads as %s", (entry, text) => expect(asCidrText(entry)).toBe(text));

  it("parses addresses and CIDRs (host bits allowed), undefined for anything else", () => {
    expect(formatCidr(tryParseAddressOrCidr("10.1.2.3")!)).toBe("10.1.2.3/32");
    expect(formatCidr(tryParseAddressOrCidr("2001:db8::1")!)).toBe("2001:db8::1/128");
    expect(formatCidr(tryParseAddressOrCidr("10.1.2.3/24")!)).toBe("10.1.2.0/24");
    expect(tryParseAddressOrCidr("Storage")).toBeUndefined();
    expect(tryParseAddressOrCidr("*")).toBeUndefined();
  });
});

describe("every address", () => {
  it.each(["*", "0.0.0.0/0", "Any", "any"])("%s is any address of both kinds", (entry) => {
    expect(isAnyAddress(entry)).toBe(true);
    expect(isAnyAddressOfEitherFamily(entry)).toBe(true);
  });
  it("::/0 counts only where both families do", () => {
    expect(isAnyAddress("::/0")).toBe(false);
    expect(isAnyAddressOfEitherFamily("::/0")).toBe(true);
  });
  it.each(["Internet", "10.0.0.0/8", "0.0.0.0/1"])("%s is not", (entry) => expect(isAnyAddressOfEitherFamily(entry)).toBe(false));
});

describe("loopback URLs", () => {
  it.each(["http://127.0.0.1:8080/", "http://[::1]:3000", "https://localhost/api"])("%s is this machine", (url) =>
    expect(isLoopbackUrl(new URL(url))).toBe(true),
  );
  it.each(["http://127.0.0.2/", "https://api.github.com", "http://localhost.example.com/"])("%s is not", (url) =>
    expect(isLoopbackUrl(new URL(url))).toBe(false),
  );
  it("lists three hosts", () => expect([...LOOPBACK_HOSTS].sort()).toEqual(["127.0.0.1", "[::1]", "localhost"]));
});

describe("NSG rule limits' messages", () => {
  it.each([MIN_PRIORITY, 1000, MAX_PRIORITY])("%s is in range", (priority) => expect(priorityRangeProblem(priority)).toBeUndefined());
  it.each([99, 4097, 100.5, Number.NaN])("%s is refused", (priority) =>
    expect(priorityRangeProblem(priority)).toBe(`${priority} is outside Azure's range; allowed: whole numbers 100-4096`),
  );
  it("names the rule name form", () => {
    expect(RULE_NAME_PATTERN.test("-bad")).toBe(false);
    expect(RULE_NAME_PROBLEM).toBe(
      "must be 1-80 letters, digits, '_', '.' or '-', starting with a letter, digit or '_' and ending with a letter, digit or '_'",
    );
  });
});

describe("addressesNeeded with another buffer", () => {
  it("defaults to the runner buffer", () => expect(addressesNeeded(10)).toBe(addressesNeeded(10, RUNNER_BUFFER_PERCENT)));
  it.each([
    [10, 0, 15],
    [10, 50, 20],
    [7, 30, 15],
  ])("%s runners with %s %% need %s", (runners, buffer, needed) => expect(addressesNeeded(runners, buffer)).toBe(needed));
});

import { describe, expect, it } from "vitest";
import {
  containsCidr,
  firstFreeBlock,
  formatAddress,
  formatCidr,
  mergeAddressList,
  mergeCidrs,
  overlaps,
  parseAddress,
  parseCidr,
  tryParseCidr,
} from "../../../components/lib/cidr";

const c = (text: string) => parseCidr(text);

describe("parseCidr / formatCidr", () => {
  it.each([
    ["10.0.0.0/16", "10.0.0.0/16"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["255.255.255.255/32", "255.255.255.255/32"],
    ["2a0a:a440::/29", "2a0a:a440::/29"],
    ["2606:50C0::/32", "2606:50c0::/32"],
    ["2001:db8:0:0:1:0:0:0/128", "2001:db8:0:0:1::/128"],
    ["2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"],
    ["2001:0:0:1:0:0:0:0/64", "2001:0:0:1::/64"],
    ["::/0", "::/0"],
    ["::ffff:192.0.2.0/120", "::ffff:c000:200/120"],
  ])("%s round-trips as %s", (input, expected) => {
    expect(formatCidr(c(input))).toBe(expected);
  });

  it.each([
    ["10.0.0/16", '"10.0.0/16" does not start with a valid IPv4 or IPv6 address'],
    ["10.0.0.0", '"10.0.0.0" is not in CIDR notation (address/prefix-length)'],
    ["10.0.0.0/33", '"10.0.0.0/33" has prefix length 33; IPv4 allows 0-32'],
    ["256.0.0.0/8", '"256.0.0.0/8" does not start with a valid IPv4 or IPv6 address'],
    ["010.0.0.0/8", '"010.0.0.0/8" does not start with a valid IPv4 or IPv6 address'],
    ["10.0.0.1/24", '"10.0.0.1/24" has host bits set; the network address is 10.0.0.0/24'],
    ["2001:db8::1/64", '"2001:db8::1/64" has host bits set; the network address is 2001:db8::/64'],
    ["2001:db8:::/64", '"2001:db8:::/64" does not start with a valid IPv4 or IPv6 address'],
    ["1:2:3:4:5:6:7:8:9/64", '"1:2:3:4:5:6:7:8:9/64" does not start with a valid IPv4 or IPv6 address'],
    ["::/129", '"::/129" has prefix length 129; IPv6 allows 0-128'],
  ])("refuses %s", (input, message) => {
    expect(() => parseCidr(input)).toThrow(message);
  });

  it("accepts host bits when not strict, keeping the network address", () => {
    expect(formatCidr(parseCidr("10.0.0.1/24", { strict: false }))).toBe("10.0.0.0/24");
    expect(tryParseCidr("nonsense")).toBeUndefined();
  });

  it("parses bare addresses of both families", () => {
    expect(parseAddress("192.0.2.1")).toEqual({ family: 4, value: 0xc0000201n });
    expect(parseAddress("::1")).toEqual({ family: 6, value: 1n });
    expect(parseAddress("bogus")).toBeUndefined();
    expect(formatAddress(6, 0n)).toBe("::");
  });
});

describe("containment and overlap", () => {
  it.each([
    ["10.0.0.0/16", "10.0.1.0/24", true, true],
    ["10.0.1.0/24", "10.0.0.0/16", false, true],
    ["10.0.0.0/24", "10.0.1.0/24", false, false],
    ["10.0.0.0/8", "2001:db8::/32", false, false],
    ["10.0.0.0/24", "10.0.0.0/24", true, true],
  ])("%s vs %s: contains %s, overlaps %s", (a, b, contains, overlap) => {
    expect(containsCidr(c(a), c(b))).toBe(contains);
    expect(overlaps(c(a), c(b))).toBe(overlap);
  });
});

describe("mergeCidrs", () => {
  it.each([
    [["10.0.0.0/25", "10.0.0.128/25"], ["10.0.0.0/24"]],
    [
      ["10.0.1.0/24", "10.0.0.0/24", "10.0.2.0/24"],
      ["10.0.0.0/23", "10.0.2.0/24"],
    ],
    [["10.0.0.0/16", "10.0.5.0/24"], ["10.0.0.0/16"]],
    [
      ["10.0.0.1/32", "10.0.0.2/32"],
      ["10.0.0.1/32", "10.0.0.2/32"],
    ],
    [
      ["10.0.0.2/32", "10.0.0.3/32", "10.0.0.4/32"],
      ["10.0.0.2/31", "10.0.0.4/32"],
    ],
    [["2001:db8::/33", "2001:db8:8000::/33"], ["2001:db8::/32"]],
    [[], []],
  ])("%j merges to %j", (input, expected) => {
    expect(mergeCidrs(input.map(c)).map(formatCidr)).toEqual(expected);
  });

  it("refuses to mix families", () => {
    expect(() => mergeCidrs([c("10.0.0.0/8"), c("::/0")])).toThrow("cannot merge IPv4 and IPv6 blocks together");
  });

  it("splits mixed address lists by family and treats bare addresses as hosts", () => {
    expect(mergeAddressList(["192.30.252.0/22", "192.30.253.10", "2606:50c0::/32", "2606:50c0::1"])).toEqual({
      ipv4: ["192.30.252.0/22"],
      ipv6: ["2606:50c0::/32"],
    });
  });
});

describe("firstFreeBlock", () => {
  it.each([
    ["10.40.0.0/16", 24, [], "10.40.0.0/24"],
    ["10.40.0.0/16", 24, ["10.40.0.0/24"], "10.40.1.0/24"],
    ["10.40.0.0/16", 24, ["10.40.0.0/20"], "10.40.16.0/24"],
    ["10.40.0.0/16", 22, ["10.40.1.0/24"], "10.40.4.0/22"],
    ["10.40.0.0/16", 26, ["10.40.0.0/26", "10.40.0.128/26"], "10.40.0.64/26"],
    ["10.40.0.0/24", 24, ["10.40.0.0/29"], undefined],
    ["10.40.0.0/24", 23, [], undefined],
  ])("%s /%d avoiding %j gives %s", (space, prefix, taken, expected) => {
    const block = firstFreeBlock(c(space), prefix, taken.map(c));
    expect(block && formatCidr(block)).toBe(expected);
  });
});

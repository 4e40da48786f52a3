/**
 * The CIDR functions against an independent implementation: Node's own net.BlockList and
 * net.SocketAddress, which parse and match addresses without any of our code.
 */
import * as fc from "fast-check";
import { BlockList, isIPv4, isIPv6 } from "node:net";
import { describe, expect, it } from "vitest";
import {
  containsCidr,
  formatAddress,
  formatCidr,
  lastAddress,
  overlaps,
  parseAddress,
  parseCidr,
  tryParseCidr,
  type Cidr,
} from "../../../components/lib/cidr";

const BITS = { 4: 32, 6: 128 } as const;
const family = fc.constantFrom(4 as const, 6 as const);

/** A block with host bits clear, as text. */
const block = (f: 4 | 6) =>
  fc.tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(BITS[f])) - 1n }), fc.integer({ min: 0, max: BITS[f] })).map(([value, prefix]) => {
    const hostBits = BigInt(BITS[f] - prefix);
    const base = (value >> hostBits) << hostBits;
    return `${formatAddress(f, base)}/${prefix}`;
  });

const blockList = (cidr: Cidr) => {
  const list = new BlockList();
  list.addSubnet(formatAddress(cidr.family, cidr.base), cidr.prefixLength, cidr.family === 4 ? "ipv4" : "ipv6");
  return list;
};
const contains = (outer: Cidr, family: 4 | 6, value: bigint) =>
  blockList(outer).check(formatAddress(family, value), family === 4 ? "ipv4" : "ipv6");

describe("CIDR arithmetic, checked against node:net", () => {
  it("formats addresses Node parses back to the same family, and parses them again to the same value", () => {
    fc.assert(
      fc.property(family, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (f, raw) => {
        const value = raw & ((1n << BigInt(BITS[f])) - 1n);
        const text = formatAddress(f, value);
        expect(f === 4 ? isIPv4(text) : isIPv6(text)).toBe(true);
        expect(parseAddress(text)).toEqual({ family: f, value });
      }),
    );
  });

  it("round-trips every aligned block through parse and format", () => {
    fc.assert(
      fc.property(family.chain(block), (text) => {
        expect(formatCidr(parseCidr(text))).toBe(text);
      }),
    );
  });

  it("says a block contains another exactly when Node finds both of its ends inside", () => {
    fc.assert(
      fc.property(
        family.chain((f) => fc.tuple(block(f), block(f))),
        ([a, b]) => {
          const outer = parseCidr(a);
          const inner = parseCidr(b);
          const expected = contains(outer, inner.family, inner.base) && contains(outer, inner.family, lastAddress(inner));
          expect(containsCidr(outer, inner)).toBe(expected);
        },
      ),
    );
  });

  it("says two blocks overlap exactly when Node finds the start of one inside the other", () => {
    fc.assert(
      fc.property(
        family.chain((f) => fc.tuple(block(f), block(f))),
        ([a, b]) => {
          const x = parseCidr(a);
          const y = parseCidr(b);
          expect(overlaps(x, y)).toBe(contains(x, y.family, y.base) || contains(y, x.family, x.base));
        },
      ),
    );
  });

  it("refuses host bits set, and names the network address Node agrees contains the given one", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.integer({ min: 0, max: 31 }), (value, prefix) => {
        const hostMask = (1n << BigInt(32 - prefix)) - 1n;
        fc.pre((value & hostMask) !== 0n);
        const text = `${formatAddress(4, value)}/${prefix}`;
        expect(tryParseCidr(text)).toBeUndefined();
        const network = parseCidr(`${formatAddress(4, value & ~hostMask)}/${prefix}`);
        expect(contains(network, 4, value)).toBe(true);
        expect(() => parseCidr(text)).toThrow(`has host bits set; the network address is ${formatCidr(network)}`);
      }),
    );
  });

  it("never throws anything but its own error on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const parsed = tryParseCidr(text);
        if (parsed)
          expect(blockList(parsed).check(formatAddress(parsed.family, parsed.base), parsed.family === 4 ? "ipv4" : "ipv6")).toBe(true);
      }),
    );
  });
});

/**
 * IPv4/IPv6 CIDR arithmetic on bigints. Pure and dependency-free so that
 * validation, subnet placement and rule planning run in milliseconds.
 */
import { quoted } from "./problems";

export type AddressFamily = 4 | 6;

export interface Cidr {
  readonly family: AddressFamily;
  /** First address of the block as an unsigned integer. */
  readonly base: bigint;
  readonly prefixLength: number;
}

const BITS: Record<AddressFamily, number> = { 4: 32, 6: 128 };

export class CidrError extends Error {}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are refused: some tools read them as octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): string[] | undefined => {
    if (part === "") return [];
    const groups = part.split(":");
    const last = groups[groups.length - 1];
    if (last.includes(".")) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      groups.splice(groups.length - 1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
    }
    return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups : undefined;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses a bare address; the family is chosen by the presence of ':'. */
export function parseAddress(text: string): { family: AddressFamily; value: bigint } | undefined {
  if (text.includes(":")) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/**
 * Parses `a.b.c.d/n` or `x:y::/n`. With `strict` (the default) host bits must be zero,
 * which is what Azure requires of address spaces and subnet prefixes.
 */
export function parseCidr(text: string, options: { strict?: boolean } = {}): Cidr {
  const strict = options.strict ?? true;
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  if (!match) throw new CidrError(`${quoted(text)} is not in CIDR notation (address/prefix-length)`);
  const address = parseAddress(match[1]);
  if (!address) throw new CidrError(`${quoted(text)} does not start with a valid IPv4 or IPv6 address`);
  const prefixLength = Number(match[2]);
  const bits = BITS[address.family];
  if (prefixLength > bits) {
    throw new CidrError(`${quoted(text)} has prefix length ${prefixLength}; IPv${address.family} allows 0-${bits}`);
  }
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  if (strict && (address.value & hostMask) !== 0n) {
    const base = address.value & ~hostMask;
    throw new CidrError(
      `${quoted(text)} has host bits set; the network address is ${formatCidr({ family: address.family, base, prefixLength })}`,
    );
  }
  return { family: address.family, base: address.value & ~hostMask, prefixLength };
}

export function tryParseCidr(text: string, options?: { strict?: boolean }): Cidr | undefined {
  try {
    return parseCidr(text, options);
  } catch {
    return undefined;
  }
}

export function formatAddress(family: AddressFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.family, cidr.base)}/${cidr.prefixLength}`;
}

export function blockSize(cidr: Cidr): bigint {
  return 1n << BigInt(BITS[cidr.family] - cidr.prefixLength);
}

export function lastAddress(cidr: Cidr): bigint {
  return cidr.base + blockSize(cidr) - 1n;
}

/** True when `inner` lies entirely within `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && inner.base >= outer.base && lastAddress(inner) <= lastAddress(outer);
}

export function containsAddress(cidr: Cidr, family: AddressFamily, value: bigint): boolean {
  return cidr.family === family && value >= cidr.base && value <= lastAddress(cidr);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/** Smallest set of CIDR blocks covering exactly the inclusive range [start, end]. */
function rangeToCidrs(family: AddressFamily, start: bigint, end: bigint): Cidr[] {
  const bits = BITS[family];
  const out: Cidr[] = [];
  let cursor = start;
  while (cursor <= end) {
    let size = bits;
    // Grow the block while it stays aligned at `cursor` and inside the range.
    while (size > 0) {
      const candidate = 1n << BigInt(bits - size + 1);
      if (cursor % candidate !== 0n || cursor + candidate - 1n > end) break;
      size--;
    }
    const cidr = { family, base: cursor, prefixLength: size };
    out.push(cidr);
    cursor = lastAddress(cidr) + 1n;
  }
  return out;
}

/**
 * Minimal CIDR cover of the union of the given blocks for one address family,
 * sorted by address. Deterministic for any input order.
 */
export function mergeCidrs(blocks: readonly Cidr[]): Cidr[] {
  if (blocks.length === 0) return [];
  const family = blocks[0].family;
  if (blocks.some((b) => b.family !== family)) throw new CidrError("cannot merge IPv4 and IPv6 blocks together");
  const ranges = blocks.map((b) => [b.base, lastAddress(b)] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1n) {
      if (end > last[1]) last[1] = end;
    } else {
      merged.push([start, end]);
    }
  }
  return merged.flatMap(([start, end]) => rangeToCidrs(family, start, end));
}

/** An address or CIDR entry in CIDR notation: a bare address stands for its /32 (IPv4) or /128 (IPv6). */
export function asCidrText(entry: string): string {
  return entry.includes("/") ? entry : `${entry}/${entry.includes(":") ? 128 : 32}`;
}

/** Parses an address or CIDR entry (a bare address is its /32 or /128; host bits allowed); undefined when it is neither. */
export function tryParseAddressOrCidr(entry: string): Cidr | undefined {
  return tryParseCidr(asCidrText(entry), { strict: false });
}

/** Parses and merges address strings (bare addresses count as /32 or /128), split by family. */
export function mergeAddressList(entries: readonly string[]): { ipv4: string[]; ipv6: string[] } {
  const byFamily: Record<AddressFamily, Cidr[]> = { 4: [], 6: [] };
  for (const entry of entries) {
    const cidr = parseCidr(asCidrText(entry), { strict: false });
    byFamily[cidr.family].push(cidr);
  }
  return { ipv4: mergeCidrs(byFamily[4]).map(formatCidr), ipv6: mergeCidrs(byFamily[6]).map(formatCidr) };
}

/**
 * First block of `prefixLength` inside `space`, aligned on its own size, that overlaps none
 * of `taken`. Undefined when the space has no such room.
 */
export function firstFreeBlock(space: Cidr, prefixLength: number, taken: readonly Cidr[]): Cidr | undefined {
  if (prefixLength < space.prefixLength || prefixLength > BITS[space.family]) return undefined;
  const size = 1n << BigInt(BITS[space.family] - prefixLength);
  for (let base = space.base; base + size - 1n <= lastAddress(space); base += size) {
    const candidate: Cidr = { family: space.family, base, prefixLength };
    const blocker = taken.find((t) => overlaps(t, candidate));
    if (!blocker) return candidate;
    // Skip past the blocking block instead of probing every slot inside it.
    const next = lastAddress(blocker) + 1n;
    if (next > base + size) base = next - ((next - space.base) % size) - size;
  }
  return undefined;
}

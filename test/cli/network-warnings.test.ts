import { describe, expect, it } from "vitest";
import { warningsNamingNetworks } from "../../cli/network-warnings";

describe("warningsNamingNetworks", () => {
  it.each<[string, [string, string][], string[]]>([
    ["none", [], []],
    ["one network", [["east", "x is blocked"]], ['warning: network "east": x is blocked']],
    [
      "the same warning for several networks: one line naming them in order",
      [
        ["east", "x is blocked"],
        ["west", "x is blocked"],
        ["north", "x is blocked"],
      ],
      ['warning: networks "east", "west", "north": x is blocked'],
    ],
    [
      "different warnings: a line each, in the order they first came",
      [
        ["east", "y is blocked"],
        ["west", "x is blocked"],
        ["west", "y is blocked"],
      ],
      ['warning: networks "east", "west": y is blocked', 'warning: network "west": x is blocked'],
    ],
  ])("%s", (_name, entries, expected) => {
    expect(warningsNamingNetworks(entries)).toEqual(expected);
  });
});

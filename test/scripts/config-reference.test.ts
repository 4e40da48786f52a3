import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { stackConfigSchema } from "../../components/lib/stack-config";
import {
  collectRows,
  END_MARKER,
  lineDiff,
  GENERATED_BLOCKS,
  markedBlock,
  OUTPUTS_END_MARKER,
  OUTPUTS_START_MARKER,
  README_PATH,
  renderConfigReference,
  renderSections,
  renderTable,
  replaceBlock,
  START_MARKER,
  type ReferenceRow,
} from "../../scripts/generate-config-reference";

describe("README.md config reference", () => {
  it("equals what the schemas render (run: tsx scripts/generate-config-reference.ts)", () => {
    const block = markedBlock(readFileSync(README_PATH, "utf8"));
    expect(block, `README.md needs ${START_MARKER} ... ${END_MARKER}`).toBeDefined();
    expect(block).toBe(renderConfigReference());
  });

  it.each(GENERATED_BLOCKS.map((block) => [block.start, block] as const))("has the %s block its code renders", (_, block) => {
    expect(markedBlock(readFileSync(README_PATH, "utf8"), block.start, block.end)).toBe(block.render());
  });

  it("has the outputs reference infra/outputs.ts renders", () => {
    const block = markedBlock(readFileSync(README_PATH, "utf8"), OUTPUTS_START_MARKER, OUTPUTS_END_MARKER);
    expect(block).toBe(GENERATED_BLOCKS[1].render());
    expect(block).toContain("| `egressPublicIpAddresses` | The NAT gateway's static public IPs");
  });

  it("documents every key of the stack config with a description", () => {
    const undocumented = collectRows(stackConfigSchema)
      .filter((row) => row.description === "")
      .map((row) => row.key);
    expect(undocumented).toEqual([]);
  });
});

const row = (key: string, fields: Partial<ReferenceRow>): ReferenceRow => ({
  key,
  type: "string",
  required: "yes",
  default: "",
  allowed: "",
  description: "",
  ...fields,
});

describe("collectRows on a synthetic schema", () => {
  const schema = z.object({
    name: z.string().meta({ description: "The name." }),
    size: z.number().int().optional().meta({ default: "3", allowed: "1-9", description: "How big." }),
    mode: z.enum(["a", "b"]).default("a"),
    kinds: z.array(z.enum(["x", "y"])).optional(),
    flag: z.boolean().optional().meta({ required: "with `mode: b`" }),
    id: z.union([z.string(), z.number()]).transform(String),
    opaque: z.any().meta({ type: "map of string to string" }),
    labels: z.record(z.string(), z.string()).optional(),
    inner: z.object({ deep: z.string().optional().meta({ description: "Deep." }) }).optional(),
    items: z.array(z.object({ port: z.number() })),
  });

  it.each<[string, ReferenceRow]>([
    ["name", row("name", { description: "The name." })],
    ["size", row("size", { type: "integer", required: "no", default: "3", allowed: "1-9", description: "How big." })],
    ["mode", row("mode", { required: "no", default: '`"a"`', allowed: "`a`, `b`" })],
    ["kinds", row("kinds", { type: "list of strings", required: "no", allowed: "`x`, `y`" })],
    ["flag", row("flag", { type: "boolean", required: "with `mode: b`" })],
    ["id", row("id", { type: "string or number" })],
    ["opaque", row("opaque", { type: "map of string to string" })],
    ["labels", row("labels", { type: "map of string to string", required: "no" })],
    ["inner", row("inner", { type: "object", required: "no" })],
    ["inner.deep", row("inner.deep", { required: "no", description: "Deep." })],
    ["items", row("items", { type: "list of objects" })],
    ["items[].port", row("items[].port", { type: "number" })],
  ])("%s", (key, expected) => {
    expect(collectRows(schema).find((r) => r.key === key)).toEqual(expected);
  });

  it("lists the keys in schema order, nested keys after their parent", () => {
    expect(collectRows(schema).map((r) => r.key)).toEqual([
      "name",
      "size",
      "mode",
      "kinds",
      "flag",
      "id",
      "opaque",
      "labels",
      "inner",
      "inner.deep",
      "items",
      "items[].port",
    ]);
  });
});

describe("renderTable and renderSections", () => {
  it.each<[string, ReferenceRow[], string]>([
    ["empty cells as —", [row("a", { description: "A." })], "| `a` | string | yes | — | — | A. |"],
    ["pipes escaped", [row("b", { allowed: "x | y", description: "p|q" })], "| `b` | string | yes | — | x \\| y | p\\|q |"],
    ["defaults and overrides", [row("c", { type: "integer", required: "no", default: "`1`" })], "| `c` | integer | no | `1` | — |  |"],
  ])("%s", (_name, rows, line) => {
    expect(renderTable(rows).split("\n")).toEqual([
      "| key | type | required | default | allowed | description |",
      "|---|---|---|---|---|---|",
      line,
    ]);
  });

  it("splits rows into sections; the section without `under` takes the rest", () => {
    const schema = z.object({ top: z.string(), group: z.object({ x: z.string() }) });
    expect(renderSections(schema, [{ title: "Top:" }, { title: "Group:", under: "group" }])).toBe(
      [
        "Top:",
        "",
        "| key | type | required | default | allowed | description |",
        "|---|---|---|---|---|---|",
        "| `top` | string | yes | — | — |  |",
        "| `group` | object | yes | — | — |  |",
        "",
        "Group:",
        "",
        "| key | type | required | default | allowed | description |",
        "|---|---|---|---|---|---|",
        "| `group.x` | string | yes | — | — |  |",
      ].join("\n"),
    );
  });
});

describe("markers and --check diff", () => {
  it("replaces only the marked block", () => {
    const readme = `before\n${START_MARKER}\nold\n${END_MARKER}\nafter\n`;
    const updated = replaceBlock(readme, "\nnew\n");
    expect(updated).toBe(`before\n${START_MARKER}\nnew\n${END_MARKER}\nafter\n`);
    expect(markedBlock(updated)).toBe("\nnew\n");
    expect(markedBlock("no markers")).toBeUndefined();
    expect(() => replaceBlock("no markers", "x")).toThrow(/config-reference:start/);
  });

  it("prints lines only in README.md with - and generated ones with +", () => {
    expect(lineDiff("a\nb\nc", "a\nB\nc")).toBe("+ B\n- b");
    expect(lineDiff("same", "same")).toBe("");
  });
});

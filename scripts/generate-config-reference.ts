/**
 * Renders README.md's stack config reference from the zod schemas (components/lib/stack-config.ts,
 * network-schema.ts, github-config.ts), so the schemas are the one source of every key, its type,
 * whether it is required, its default, what is allowed and what it does.
 *
 * The documentation of a key is its zod metadata (`.meta({ description, default, allowed, type,
 * required })`); the `describe(...)` texts of the schemas feed validation messages and are not used
 * here. Types, required-ness and enum values come from the schemas themselves.
 *
 *   tsx scripts/generate-config-reference.ts          rewrites the block in README.md
 *   tsx scripts/generate-config-reference.ts --check  exits 1 when README.md is stale
 *
 * The stack outputs block comes from infra/outputs.ts in the same way.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { stackConfigSchema } from "../components/lib/stack-config";
import { GITHUB_OUTPUT_DOCS, NETWORK_OUTPUT_DOCS, STACK_OUTPUT_DOCS } from "../infra/outputs";
import { ENDPOINT_CATALOG } from "../components/lib/catalog";
import { DOMAINS_COLLECTION, planFirewallRules, STORAGE_COLLECTION } from "../components/lib/firewall-rules";
import { validateComponentArgs } from "../components/lib/network-design";
import { evaluateRequirements, GITHUB_DOCUMENTED_REQUIREMENTS, PLATFORM_REQUIREMENTS } from "../components/lib/runner-requirements";

export const START_MARKER = "<!-- config-reference:start -->";
export const END_MARKER = "<!-- config-reference:end -->";
export const OUTPUTS_START_MARKER = "<!-- outputs-reference:start -->";
export const OUTPUTS_END_MARKER = "<!-- outputs-reference:end -->";
export const README_PATH = path.join(__dirname, "..", "README.md");

/** The documentation keys read from a schema's zod metadata. */
export interface KeyDoc {
  description?: string;
  /** Overrides the type read from the schema (e.g. for values that may be deferred, which are `z.any()`). */
  type?: string;
  default?: string;
  allowed?: string;
  /** Overrides "yes"/"no" (e.g. "`name` or `id`"). */
  required?: string;
}

export interface ReferenceRow {
  key: string;
  type: string;
  required: string;
  default: string;
  allowed: string;
  description: string;
}

type AnySchema = z.core.$ZodType;

function def(schema: AnySchema): { type: string; [k: string]: unknown } {
  return (schema as unknown as { _zod: { def: { type: string } } })._zod.def;
}

/** Metadata of the schema, then of the schemas it wraps (outer wins). */
function docOf(schema: AnySchema): KeyDoc {
  const chain: AnySchema[] = [];
  let current: AnySchema | undefined = schema;
  while (current) {
    chain.push(current);
    const d = def(current);
    current =
      d.type === "optional" || d.type === "default" || d.type === "nullable" || d.type === "readonly"
        ? (d.innerType as AnySchema)
        : d.type === "pipe"
          ? (d.in as AnySchema)
          : undefined;
  }
  const merged: KeyDoc = {};
  for (const item of chain.reverse()) Object.assign(merged, (z.globalRegistry.get(item) ?? {}) as KeyDoc);
  return merged;
}

/** The schema without optional/default/pipe wrappers, and whether it was optional. */
function unwrap(schema: AnySchema): { inner: AnySchema; optional: boolean; defaultValue?: unknown } {
  let optional = false;
  let defaultValue: unknown;
  let current = schema;
  for (;;) {
    const d = def(current);
    if (d.type === "optional") optional = true;
    else if (d.type === "default") {
      optional = true;
      defaultValue = typeof d.defaultValue === "function" ? (d.defaultValue as () => unknown)() : d.defaultValue;
    } else if (d.type === "nullable" || d.type === "readonly") {
      // the same value type
    } else if (d.type === "pipe") {
      current = d.in as AnySchema;
      continue;
    } else return { inner: current, optional, defaultValue };
    current = d.innerType as AnySchema;
  }
}

function enumValues(schema: AnySchema): string[] | undefined {
  const d = def(schema);
  if (d.type === "enum") return Object.values(d.entries as Record<string, string>);
  if (d.type === "literal") return (d.values as unknown[]).map(String);
  return undefined;
}

function typeName(schema: AnySchema): string {
  const doc = z.globalRegistry.get(schema) as KeyDoc | undefined;
  if (doc?.type) return doc.type;
  const { inner } = unwrap(schema);
  const innerDoc = z.globalRegistry.get(inner) as KeyDoc | undefined;
  if (innerDoc?.type) return innerDoc.type;
  const d = def(inner);
  switch (d.type) {
    case "number": {
      // `.int()` makes ZodNumber's format "safeint".
      const format = (inner as unknown as { format?: string | null }).format ?? "";
      return format.includes("int") ? "integer" : "number";
    }
    case "enum":
    case "literal":
      return "string";
    case "array":
      return `list of ${plural(typeName(d.element as AnySchema))}`;
    case "record":
      return `map of ${typeName(d.keyType as AnySchema)} to ${typeName(d.valueType as AnySchema)}`;
    case "union":
      return (d.options as AnySchema[]).map(typeName).join(" or ");
    default:
      return d.type;
  }
}

function plural(type: string): string {
  if (type.startsWith("list of ") || type.startsWith("map of ")) return type;
  return type.includes(" or ") ? type : `${type}s`;
}

const code = (text: string) => `\`${text}\``;

function formatDefault(value: unknown): string {
  return code(JSON.stringify(value));
}

/**
 * Every key path of an object schema: `prefix.key`, list entries as `key[].sub`. Objects (also
 * inside lists) get a row and then rows for their keys.
 */
export function collectRows(schema: AnySchema, prefix = ""): ReferenceRow[] {
  const { inner } = unwrap(schema);
  if (def(inner).type !== "object") throw new Error(`expected an object schema at ${prefix || "the root"}`);
  const shape = def(inner).shape as Record<string, AnySchema>;
  const rows: ReferenceRow[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    const doc = docOf(field);
    const { inner: value, optional, defaultValue } = unwrap(field);
    const values =
      enumValues(value) ?? (def(value).type === "array" ? enumValues(unwrap(def(value).element as AnySchema).inner) : undefined);
    const allowed = [values?.map(code).join(", "), doc.allowed].filter(Boolean).join("; ");
    rows.push({
      key: keyPath,
      type: typeName(field),
      required: doc.required ?? (optional ? "no" : "yes"),
      default: doc.default ?? (defaultValue !== undefined ? formatDefault(defaultValue) : ""),
      allowed,
      description: doc.description ?? "",
    });
    if (def(value).type === "object") rows.push(...collectRows(value, keyPath));
    else if (def(value).type === "array") {
      const element = unwrap(def(value).element as AnySchema).inner;
      if (def(element).type === "object") rows.push(...collectRows(element, `${keyPath}[]`));
    }
  }
  return rows;
}

const cell = (text: string) => (text === "" ? "" : text.replace(/\|/g, "\\|").replace(/\n/g, " "));

export function renderTable(rows: ReferenceRow[]): string {
  const header = "| key | type | required | default | allowed | description |\n|---|---|---|---|---|---|";
  const lines = rows.map(
    (row) =>
      `| ${[code(row.key), row.type, row.required, row.default || "—", row.allowed || "—", row.description].map(cell).join(" | ")} |`,
  );
  return [header, ...lines].join("\n");
}

export interface Section {
  /** A line above the table. */
  title: string;
  /** Rows whose key is this, or starts with it followed by `.` or `[`. Without it: the rows no other section takes. */
  under?: string;
}

/** Renders the rows of a schema as one table per section. */
export function renderSections(schema: AnySchema, sections: Section[]): string {
  const rows = collectRows(schema);
  const within = (key: string, under: string) => key.startsWith(`${under}.`) || key.startsWith(`${under}[`);
  const claimed = (key: string) => sections.some((s) => s.under !== undefined && within(key, s.under));
  return sections
    .map((section) => {
      const picked = rows.filter((row) => (section.under === undefined ? !claimed(row.key) : within(row.key, section.under)));
      return `${section.title}\n\n${renderTable(picked)}`;
    })
    .join("\n\n");
}

/** The README block between the markers (markers excluded), for the stack config. */
export function renderConfigReference(): string {
  const body = renderSections(stackConfigSchema, [
    { title: "Top-level keys:" },
    { title: "`github`: the GitHub owner and the network configuration this stack may manage:", under: "github" },
    {
      title:
        "`networks[]`: each network takes the component's arguments (`GitHubRunnerNetwork`) under the same names, plus `name` and `role`:",
      under: "networks",
    },
  ]);
  return `\n<!-- Generated from the zod schemas by scripts/generate-config-reference.ts; edit the schemas' .meta() and run it. -->\n\n${body}\n\n`;
}

/** The README block for the stack outputs, from infra/outputs.ts. */
export function renderOutputsReference(): string {
  const table = (rows: [string, string][]) =>
    ["| Output | Meaning |", "| --- | --- |", ...rows.map(([key, meaning]) => `| \`${key}\` | ${meaning} |`)].join("\n");
  const body = [
    table(Object.entries(STACK_OUTPUT_DOCS)),
    "`networks.<name>`:",
    table(Object.entries(NETWORK_OUTPUT_DOCS)),
    "`gitHub`:",
    table(Object.entries(GITHUB_OUTPUT_DOCS)),
  ].join("\n\n");
  return `\n<!-- Generated from infra/outputs.ts by scripts/generate-config-reference.ts. -->\n\n${body}\n\n`;
}

export const REQUIREMENTS_START_MARKER = "<!-- requirements-reference:start -->";
export const REQUIREMENTS_END_MARKER = "<!-- requirements-reference:end -->";

/** The egress designs README shows a requirements table for, as component arguments. */
const REQUIREMENT_MODES: { title: string; args: Record<string, unknown> }[] = [
  { title: "`outbound: restricted` (default), NAT gateway", args: {} },
  { title: "`outbound: https`, NAT gateway", args: { outbound: "https" } },
  {
    title: "`egress: firewall` with `firewallPolicyId` (the `standard` domain list)",
    args: {
      egress: "firewall",
      firewallPrivateIp: "10.0.1.4",
      firewallPolicyId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network/firewallPolicies/hub",
    },
  },
  {
    title: "`egress: firewall` without `firewallPolicyId` (your firewall's rules)",
    args: { egress: "firewall", firewallPrivateIp: "10.0.1.4" },
  },
  { title: "`egress: none`", args: { egress: "none" } },
];

/**
 * README's requirements tables: GitHub's documented hosts and the platform's, judged for each
 * egress design by the same code as the plan (runner-requirements.ts). /meta's own lists are left
 * out, so the weekly catalog update does not change README.
 */
export function renderRequirementsReference(): string {
  const tables = REQUIREMENT_MODES.map(({ title, args }) => {
    const validated = validateComponentArgs({
      location: "eastus",
      businessId: "1",
      addressSpace: "10.40.0.0/16",
      maxConcurrentRunners: 10,
      ...args,
    });
    if (!validated.ok) throw new Error(`README mode ${title}: ${JSON.stringify(validated.issues)}`);
    const design = validated.value;
    const targetFqdns = design.domainRules
      ? planFirewallRules({ networkName: "n", subnetPrefix: design.subnetPrefix, level: design.domainRules.level }).ruleCollections.flatMap(
          (c) => c.rules.flatMap((r) => (r.ruleType === "ApplicationRule" ? r.targetFqdns : [])),
        )
      : undefined;
    const results = evaluateRequirements(
      {
        rules: design.securityRules,
        virtualNetworkPrefixes: [design.addressSpace ?? design.subnetPrefix],
        subnetPrefix: design.subnetPrefix,
        egress: design.egress,
        catalog: ENDPOINT_CATALOG,
        firewall: targetFqdns && { storageCollection: STORAGE_COLLECTION.name, domainsCollection: DOMAINS_COLLECTION.name, targetFqdns },
      },
      [...GITHUB_DOCUMENTED_REQUIREMENTS, ...PLATFORM_REQUIREMENTS],
    );
    const rows = results.map(
      (r) => `| ${r.purpose} | \`${r.host}\` | ${r.verdict} | ${[r.rule && `\`${r.rule}\``, r.reason].filter(Boolean).join(": ")} |`,
    );
    return [title, "", "| Purpose | Host | Verdict | Rule, or why |", "| --- | --- | --- | --- |", ...rows].join("\n");
  });
  return `\n<!-- Generated from components/lib/runner-requirements.ts by scripts/generate-config-reference.ts. -->\n\n${tables.join("\n\n")}\n\n`;
}

/** One generated block of the README: its markers and what belongs between them. */
export interface GeneratedBlock {
  start: string;
  end: string;
  render: () => string;
}

export const GENERATED_BLOCKS: GeneratedBlock[] = [
  { start: START_MARKER, end: END_MARKER, render: renderConfigReference },
  { start: OUTPUTS_START_MARKER, end: OUTPUTS_END_MARKER, render: renderOutputsReference },
  { start: REQUIREMENTS_START_MARKER, end: REQUIREMENTS_END_MARKER, render: renderRequirementsReference },
];

/** The text between the markers, or undefined when they are missing. */
export function markedBlock(readme: string, start = START_MARKER, end = END_MARKER): string | undefined {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return readme.slice(from + start.length, to);
}

export function replaceBlock(readme: string, block: string, start = START_MARKER, end = END_MARKER): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  return readme.slice(0, from + start.length) + block + readme.slice(to);
}

/** A line diff of two texts: lines only in `before` with `-`, only in `after` with `+`. */
export function lineDiff(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  // Longest common subsequence, small inputs.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out.join("\n");
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  let readme = readFileSync(README_PATH, "utf8");
  let stale = false;
  for (const { start, end, render } of GENERATED_BLOCKS) {
    const current = markedBlock(readme, start, end);
    if (current === undefined) {
      console.error(`README.md has no ${start} ... ${end} block`);
      return 1;
    }
    const wanted = render();
    if (current === wanted) continue;
    stale = true;
    if (check) {
      console.error(`README.md ${start} block is stale (- README.md, + generated); run: tsx scripts/generate-config-reference.ts`);
      console.error(lineDiff(current, wanted));
    } else {
      readme = replaceBlock(readme, wanted, start, end);
    }
  }
  if (check) {
    if (!stale) console.log("README.md's generated references are up to date");
    return stale ? 1 : 0;
  }
  if (stale) writeFileSync(README_PATH, readme);
  console.log(stale ? "README.md's generated references updated" : "README.md's generated references are up to date");
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

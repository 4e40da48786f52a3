/**
 * The layering of ARCHITECTURE.md, checked on every import of every `.ts` file under components/,
 * infra/, policy/ and cli/ (`import … from`, `export … from`, `import "…"`, `import("…")`,
 * `require("…")`, type-only imports included). The expected list of violations is empty.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, posix, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");
const SCANNED = ["components", "infra", "policy", "cli"];

type Layer = "lib" | "data" | "azure" | "github" | "components" | "infra" | "policy" | "cli" | "outside";

/** Leaf modules at components/ that lower layers may import (they import nothing local). */
const DYNAMIC_PROXY = "components/dynamic-proxy.ts";
const PULUMI_INTERNALS = /^components\/pulumi-internals[^/]*\.ts$/;
const PULUMI_INTERNALS_WIRE = "components/pulumi-internals-wire.ts";
/** Packages the pure layer may use besides node built-ins. */
const LIB_PACKAGES = ["zod", "yaml", "tldts"];

function layerOf(path: string): Layer {
  const [top, second] = path.split("/");
  if (top === "components") {
    if (second === "lib" || second === "data" || second === "azure" || second === "github") return second;
    return "components";
  }
  if (top === "infra" || top === "policy" || top === "cli") return top;
  return "outside";
}

/** What each layer may import from this repository, besides its own folder. */
const ALLOWED: Record<Exclude<Layer, "outside" | "data">, (target: string, layer: Layer) => boolean> = {
  lib: (_, layer) => layer === "data",
  azure: (target, layer) => layer === "lib" || layer === "data" || target === DYNAMIC_PROXY,
  github: (target, layer) => layer === "lib" || layer === "data" || target === DYNAMIC_PROXY,
  components: (_, layer) => ["lib", "data", "azure", "github"].includes(layer),
  infra: (_, layer) => ["lib", "data", "azure", "github", "components"].includes(layer),
  policy: (target, layer) => layer === "lib" || layer === "data" || target === PULUMI_INTERNALS_WIRE,
  cli: (_, layer) => layer !== "outside",
};

const SPECIFIERS = [
  /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
  /(?:^|[\s;])import\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\(\s*["']([^"']+)["']\s*\)/g,
];

export function specifiersOf(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of SPECIFIERS) for (const match of text.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

const isBuiltin = (spec: string) => spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0]);
const packageOf = (spec: string) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);

/** The violations of one file (path relative to the repository root, with `/`), given its text. */
export function checkSource(file: string, text: string): string[] {
  const from = layerOf(file);
  const violations: string[] = [];
  const refuse = (spec: string, why: string) => violations.push(`${file}: "${spec}" ${why}`);
  for (const spec of specifiersOf(text)) {
    if (spec.startsWith(".")) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.(js|ts)$/, "");
      const to = layerOf(target);
      const targetFile = `${target}.ts`;
      if (to === "cli" && from !== "cli") refuse(spec, "imports cli/: nothing imports cli");
      else if (to === "outside") refuse(spec, "is outside components/, infra/, policy/ and cli/");
      else if (to === from) continue;
      else if (from === "data" || from === "outside") continue;
      else if (!ALLOWED[from](targetFile, to))
        refuse(spec, `is ${to === "components" ? targetFile : `${to}/`}, which ${from}/ may not import`);
    } else {
      if (spec.startsWith("@pulumi/pulumi/runtime") && !PULUMI_INTERNALS.test(file))
        refuse(spec, "is a Pulumi internal: only components/pulumi-internals*.ts may import it");
      if (from === "lib" && !isBuiltin(spec) && !LIB_PACKAGES.includes(packageOf(spec)))
        refuse(spec, `is a package; components/lib imports only node built-ins, ${LIB_PACKAGES.join(", ")} and its own data`);
    }
  }
  // The leaves lower layers import must stay leaves, or they would carry an upward import.
  if ((file === DYNAMIC_PROXY || file === PULUMI_INTERNALS_WIRE) && specifiersOf(text).some((s) => s.startsWith("."))) {
    violations.push(`${file}: must import nothing from this repository (lower layers import it)`);
  }
  return violations;
}

function tsFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

describe("architecture: the layering of ARCHITECTURE.md", () => {
  const files = SCANNED.flatMap(tsFiles);

  it("finds the sources", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain("components/lib/network-design.ts");
  });

  it("has no import that breaks the layering", () => {
    const violations = files.flatMap((file) => checkSource(file, readFileSync(join(ROOT, file), "utf8")));
    expect(violations).toEqual([]);
  });

  it("catches violations in a synthetic source", () => {
    const lib = [
      'import { apiUrlProblem } from "../github/api";',
      'import type { Output } from "@pulumi/pulumi";',
      "import {",
      "  a,",
      "  b,",
      '} from "../../infra/stack";',
      'export { plan } from "../../cli/plan";',
      'const arm = require("@azure/identity");',
      'import { z } from "zod";',
      'import { readFileSync } from "node:fs";',
      'import snapshot from "../data/github-endpoints.json";',
      'import { parseCidr } from "./cidr";',
    ].join("\n");
    expect(checkSource("components/lib/bad.ts", lib)).toEqual([
      'components/lib/bad.ts: "../github/api" is github/, which lib/ may not import',
      'components/lib/bad.ts: "@pulumi/pulumi" is a package; components/lib imports only node built-ins, zod, yaml, tldts and its own data',
      'components/lib/bad.ts: "../../infra/stack" is infra/, which lib/ may not import',
      'components/lib/bad.ts: "../../cli/plan" imports cli/: nothing imports cli',
      'components/lib/bad.ts: "@azure/identity" is a package; components/lib imports only node built-ins, zod, yaml, tldts and its own data',
    ]);
    expect(
      checkSource(
        "components/github/bad.ts",
        'import { x } from "../azure/arm-client";\nimport { y } from "../github-runner-network";\nimport { proxy } from "../dynamic-proxy";',
      ),
    ).toEqual([
      'components/github/bad.ts: "../azure/arm-client" is azure/, which github/ may not import',
      'components/github/bad.ts: "../github-runner-network" is components/github-runner-network.ts, which github/ may not import',
    ]);
    expect(
      checkSource(
        "policy/bad.ts",
        'import { x } from "../infra/stack";\nimport { rpc } from "@pulumi/pulumi/runtime/rpc";\nimport { SECRET_SIGNATURE } from "../components/pulumi-internals-wire";',
      ),
    ).toEqual([
      'policy/bad.ts: "../infra/stack" is infra/, which policy/ may not import',
      'policy/bad.ts: "@pulumi/pulumi/runtime/rpc" is a Pulumi internal: only components/pulumi-internals*.ts may import it',
    ]);
    expect(
      checkSource(
        "cli/ok.ts",
        'import { a } from "../infra/config";\nimport { b } from "../policy/evaluate";\nimport { c } from "../components/pulumi-internals";',
      ),
    ).toEqual([]);
    expect(checkSource("components/pulumi-internals.ts", 'import { rpc } from "@pulumi/pulumi/runtime/rpc";')).toEqual([]);
    expect(checkSource("components/dynamic-proxy.ts", 'import { x } from "./lib/cidr";')).toEqual([
      "components/dynamic-proxy.ts: must import nothing from this repository (lower layers import it)",
    ]);
  });

  it("reads every kind of import", () => {
    const text =
      'import "./a";\nimport type { B } from "./b";\nexport * from "./c";\ntype D = typeof import("./d");\nconst e = require( "./e" );';
    expect(specifiersOf(text).sort()).toEqual(["./a", "./b", "./c", "./d", "./e"]);
  });
});

/**
 * Test tiers that run the product as a whole (consumer, engine), the .github/workflows checks, and
 * what tests share (support); every other folder mirrors a source folder.
 */
const TEST_TIERS_AND_SUPPORT = ["consumer", "engine", "support", "workflows"];

describe("architecture: the test tree mirrors the source tree", () => {
  const testFolders = readdirSync(join(ROOT, "test"), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => relative(join(ROOT, "test"), entry.parentPath).split(sep).join("/"))
    .filter((folder) => folder !== "" && !TEST_TIERS_AND_SUPPORT.includes(folder.split("/")[0]));

  it("puts each test beside the source folder it tests", () => {
    expect(testFolders.length).toBeGreaterThan(10);
    const unmirrored = [...new Set(testFolders)].filter((folder) => !existsSync(join(ROOT, folder)));
    expect(unmirrored).toEqual([]);
  });
});

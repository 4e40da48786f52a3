// Builds policy-pack/: the policy pack as users point Pulumi at it from the installed package
// (`pulumi preview --policy-pack node_modules/azure-github-runner-network/policy-pack`) and as
// `pulumi policy publish` uploads it. The pack's own code is bundled into one file, so the folder
// holds everything it imports but the two Pulumi SDKs, which its package.json names.
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "policy-pack");
/** @type {unknown} */
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
// The fields used here; a JSDoc cast, since this file runs as it is, untranspiled.
const pkg = /** @type {{ name: string; version: string; description: string; license: string; dependencies: Record<string, string> }} */ (
  manifest
);
const sdks = ["@pulumi/policy", "@pulumi/pulumi"];

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
await build({
  entryPoints: [join(root, "policy", "pack.ts")],
  outfile: join(out, "index.js"),
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  external: sdks.flatMap((name) => [name, `${name}/*`]),
  legalComments: "none",
  logLevel: "warning",
});
writeFileSync(
  join(out, "PulumiPolicy.yaml"),
  `runtime: nodejs\ndescription: ${pkg.description.replace(/[:#]/g, " -")} (policy pack ${pkg.version})\n`,
);
writeFileSync(
  join(out, "package.json"),
  `${JSON.stringify(
    {
      name: `${pkg.name}-policy-pack`,
      version: pkg.version,
      description: `The ${pkg.name} policy pack, built from its policy/ folder`,
      license: pkg.license,
      main: "index.js",
      dependencies: Object.fromEntries(sdks.map((name) => [name, pkg.dependencies[name]])),
    },
    null,
    2,
  )}\n`,
);

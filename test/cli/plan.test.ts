import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DOCTOR_USAGE } from "../../cli/doctor";
import { ENDPOINTS_HELP } from "../../cli/endpoints";
import { PLAN_USAGE, findProgram } from "../../cli/plan";
import { findProject, findStackFile } from "../../cli/stack-file";
import { REPO, installedPackage, lfsBlockedWarning, runCli, runInstalledCli, writeProject, writeStackFile } from "../support/cli";

const HEADER = `config:
  azure-github-runner-network:github:
    businessId: "12345678"
    scope: organization
    slug: my-org
`;
const network = (lines: string) => `${HEADER}  azure-github-runner-network:networks:\n${lines}`;
/** A GHE.com enterprise's stack file: the github block's dataResidency lines, then the networks. */
const gheCom = (github: string, lines: string) =>
  `config:\n  azure-github-runner-network:github:\n    businessId: "1"\n    scope: enterprise\n    slug: octocorp\n${github}  azure-github-runner-network:networks:\n${lines}`;

describe("npm run plan (offline plan CLI)", () => {
  it("plans the example stack in human form", async () => {
    const result = await runCli(["plan"]);
    expect(result.stderr).toBe(lfsBlockedWarning("primary", "failover"));
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Offline plan of azure-github-runner-network/example (Pulumi.example.yaml)");
    expect(lines).toContain("  ├─ primary  (azure-github-runner-network:index:GitHubRunnerNetwork)");
    expect(lines).toContain('Network "primary" in eastus');
    expect(lines).toContain(
      "  Subnet     10.40.0.0/24: 256 addresses, holds 193 concurrent runners (asked 100, plus 30 % buffer and 5 reserved addresses)",
    );
    expect(lines).toContain("  Egress     NAT gateway with 1 static public IP");
    expect(lines).toContain("  networks.failover.role = failover");
    expect(lines[lines.length - 2]).toBe("Policy: no violations.");
  });

  it("prints the JSON contract, byte-identical from one run to the next: the bin, npm run --silent plan, and the sources under tsx", async () => {
    // As runCli runs the bin: without the variables a developer's shell may hold for the CLI.
    const { PULUMI_STACK: _stack, AZURE_GITHUB_RUNNER_NETWORK_DEBUG: _debug, ...env } = process.env;
    const inRepo = (file: string, args: string[]) => promisify(execFile)(file, args, { cwd: REPO, env, maxBuffer: 64 * 1024 * 1024 });
    const [first, viaNpm, viaTsx] = await Promise.all([
      runCli(["plan", "--json"]),
      inRepo("npm", ["run", "--silent", "plan", "--", "--json"]),
      // The stack's outputs come in the order the compiler defines a module's exports (esbuild, which
      // tsx uses, sorts them; tsc keeps declaration order): the plan must not depend on it.
      inRepo(join(REPO, "node_modules", ".bin", "tsx"), [join(REPO, "cli", "main.ts"), "plan", "--json"]),
    ]);
    expect(first.code).toBe(0);
    expect(viaNpm.stdout).toBe(first.stdout);
    expect(viaTsx.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout);
    expect(Object.keys(report)).toEqual(["project", "stack", "resources", "outputs", "egress", "policy"]);
    expect(first.stderr).toBe(lfsBlockedWarning("primary", "failover"));
    const lfs = (network: string) =>
      (report.egress[network].requirements as { host: string }[]).find((r) => r.host === "github-cloud.s3.amazonaws.com");
    expect(lfs("primary")).toEqual({
      purpose: "Git LFS",
      host: "github-cloud.s3.amazonaws.com",
      verdict: "blocked",
      rule: "DenyInternetOutbound",
      reason: "AWS, not a GitHub or Azure address; TCP 443 is denied",
    });
    expect([report.project, report.stack]).toEqual(["azure-github-runner-network", "example"]);
    for (const resource of report.resources) {
      expect(Object.keys(resource).slice(0, 5)).toEqual(["type", "name", "parent", "inputs", "dependencies"]);
    }
    const stack = report.resources[0];
    expect([stack.type, stack.name, stack.parent]).toEqual(["pulumi:pulumi:Stack", "azure-github-runner-network-example", null]);
    const settings = report.resources.find((r: { name: string }) => r.name === "primary-network-settings");
    expect(settings.inputs.properties.businessId).toBe("12345678");
    expect(settings.parent).toBe(report.resources.find((r: { name: string }) => r.name === "primary").urn);
    expect(Object.keys(report.outputs)).toEqual(["gitHub", "networks", "nextSteps"]);
    expect(report.outputs.networks.primary.runnerCapacity).toBe(193);
    expect(report.policy).toEqual({ violations: [] });
  });

  // Independent child processes: run them side by side.
  it.concurrent.each([
    [
      "missing businessId",
      `config:\n  azure-github-runner-network:github: { scope: organization, slug: o }\n  azure-github-runner-network:networks: [{ name: a, location: eastus, maxConcurrentRunners: 5 }]\n`,
      "github.businessId: required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)",
    ],
    [
      "non-digit businessId",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n").replace('"12345678"', "my-org"),
      'github.businessId: "my-org" is not allowed; use digits only',
    ],
    [
      "unknown region",
      network("    - { name: a, location: westeurope, maxConcurrentRunners: 5 }\n"),
      'networks[0].location: "westeurope" is not a region GitHub supports for Azure private networking; allowed: australiaeast',
    ],
    [
      "platform the region lacks",
      network("    - { name: a, location: brazilsouth, maxConcurrentRunners: 5, runnerPlatforms: [gpu] }\n"),
      "networks[0].runnerPlatforms: brazilsouth has no gpu runners",
    ],
    [
      "malformed CIDR",
      network("    - { name: a, location: eastus, addressSpace: 10.40.0.0/40, maxConcurrentRunners: 5 }\n"),
      'networks[0].addressSpace: "10.40.0.0/40" has prefix length 40; IPv4 allows 0-32',
    ],
    [
      "host bits set",
      network("    - { name: a, location: eastus, addressSpace: 10.40.0.0/16, subnetPrefix: 10.40.0.9/24 }\n"),
      'networks[0].subnetPrefix: "10.40.0.9/24" has host bits set; the network address is 10.40.0.0/24',
    ],
    [
      "subnet outside the space",
      network("    - { name: a, location: eastus, addressSpace: 10.40.0.0/16, subnetPrefix: 10.99.0.0/24 }\n"),
      "networks[0].subnetPrefix: 10.99.0.0/24 is outside addressSpace 10.40.0.0/16",
    ],
    [
      "overlapping networks",
      network(
        "    - { name: a, location: eastus, addressSpace: 10.40.0.0/16, maxConcurrentRunners: 5 }\n    - { name: b, location: westus2, addressSpace: 10.40.0.0/20, maxConcurrentRunners: 5 }\n",
      ),
      "networks[1].addressSpace: 10.40.0.0/20 overlaps networks[0].addressSpace 10.40.0.0/16",
    ],
    [
      "subnet too small",
      network("    - { name: a, location: eastus, subnetPrefix: 10.0.0.0/26, maxConcurrentRunners: 100 }\n"),
      "networks[0].subnetPrefix: 10.0.0.0/26 holds 45 runners; maxConcurrentRunners 100 needs 135 addresses",
    ],
    [
      "neither prefix nor runners",
      network("    - { name: a, location: eastus }\n"),
      "networks[0].maxConcurrentRunners: give maxConcurrentRunners (the subnet is sized for it) or subnetPrefix",
    ],
    [
      "firewall without private IP",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5, egress: firewall }\n"),
      'networks[0].firewallPrivateIp: required when egress is "firewall"',
    ],
    [
      "NAT IP count out of range",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5, natGatewayPublicIpCount: 17 }\n"),
      "networks[0].natGatewayPublicIpCount: 17 is out of range; allowed: whole numbers 1-16",
    ],
    [
      "duplicate names",
      network(
        "    - { name: a, location: eastus, addressSpace: 10.1.0.0/16, maxConcurrentRunners: 5 }\n    - { name: a, location: westus2, addressSpace: 10.2.0.0/16, maxConcurrentRunners: 5 }\n",
      ),
      'networks[1].name: "a" is already used by networks[0]; names must be unique',
    ],
    [
      "two failovers",
      network(
        "    - { name: a, location: eastus, addressSpace: 10.1.0.0/16, maxConcurrentRunners: 5 }\n    - { name: b, location: westus2, addressSpace: 10.2.0.0/16, maxConcurrentRunners: 5, role: failover }\n    - { name: c, location: westus3, addressSpace: 10.3.0.0/16, maxConcurrentRunners: 5, role: failover }\n",
      ),
      "networks[2].role: networks[1] is already the failover; at most one network may have role failover",
    ],
    [
      "empty tag key",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") + '  azure-github-runner-network:tags: { "": x }\n',
      'tags[""]: tag names must not be empty',
    ],
    [
      "empty tag value",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") + '  azure-github-runner-network:tags: { owner: "" }\n',
      "tags.owner: empty value; allowed: 1-256 characters",
    ],
    [
      "tag value too long",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") +
        `  azure-github-runner-network:tags: { owner: ${"v".repeat(300)} }\n`,
      "tags.owner: value is 300 characters; Azure allows 256",
    ],
    [
      "colliding rule priorities",
      network(
        "    - name: a\n      location: eastus\n      maxConcurrentRunners: 5\n      extraSecurityRules:\n        - { name: r1, direction: Outbound, access: Allow, priority: 500 }\n        - { name: r2, direction: Outbound, access: Allow, priority: 500 }\n",
      ),
      "networks[0].extraSecurityRules[1].priority: 500 (Outbound) collides with extraSecurityRules[0]",
    ],
    [
      "rule priority out of range",
      network(
        "    - name: a\n      location: eastus\n      maxConcurrentRunners: 5\n      extraSecurityRules:\n        - { name: r1, direction: Inbound, access: Deny, priority: 5000 }\n",
      ),
      "networks[0].extraSecurityRules[0].priority: 5000 is outside Azure's range; allowed: whole numbers 100-4096",
    ],
    [
      "unknown key",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5, zone: 1 }\n"),
      "networks[0].zone: unknown key; allowed: name, role, location,",
    ],
    [
      "GHE.com: a region outside the geography's list",
      gheCom(
        "    dataResidency: { subdomain: octocorp, geography: eu }\n",
        "    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n",
      ),
      'networks[0].location: "eastus" is not a region GHE.com in the EU supports for Azure private networking; allowed: francecentral, germanywestcentral, italynorth, northeurope, swedencentral',
    ],
    [
      "GHE.com: an unknown geography",
      gheCom(
        "    dataResidency: { subdomain: octocorp, geography: asia }\n",
        "    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n",
      ),
      'github.dataResidency.geography: "asia" is not allowed; allowed: eu, australia, us, japan',
    ],
    [
      "GHE.com: an apiUrl of another host",
      gheCom(
        "    dataResidency: { subdomain: octocorp, geography: us }\n    apiUrl: https://api.github.com\n",
        "    - { name: a, location: eastus2, maxConcurrentRunners: 5 }\n",
      ),
      'github.apiUrl: "https://api.github.com" is not the API of octocorp.ghe.com; allowed: https://api.octocorp.ghe.com',
    ],
    [
      "unknown namespace key",
      network("    - { name: a, location: eastus, maxConcurrentRunners: 5 }\n") + "  azure-github-runner-network:network: x\n",
      "network: unknown key; allowed: github, githubToken, networks, tags",
    ],
  ])("%s: exit 2, the key named, nothing planned", async (_, yaml, expected) => {
    const result = await runCli(["plan", "--config", writeStackFile(yaml)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    expect(lines[0]).toMatch(/Pulumi\.test\.yaml: invalid config, nothing was planned$/);
    expect(lines.some((line) => line.startsWith(`  ${expected}`))).toBe(true);
    expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });
});

const STACK_TRACE_LINE = /\bat .*\(.*:\d+:\d+\)/;

/** The message `run` throws with; exact, where toThrow(string) would match a part. */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error, none was thrown");
}

describe("every command's --help is its own", () => {
  it.concurrent.each([
    [["plan", "--config", "x.yaml", "-h"], PLAN_USAGE],
    [["endpoints", "--help"], ENDPOINTS_HELP],
    [["endpoints", "check", "--help"], ENDPOINTS_HELP],
    [["doctor", "--help"], DOCTOR_USAGE],
    [["help", "doctor"], DOCTOR_USAGE],
  ])("%j prints that command's usage and exits 0", async (args, usage) => {
    expect(await runCli(args)).toEqual({ code: 0, stdout: usage, stderr: "" });
  });

  it("each usage starts with its own command line", () => {
    expect([PLAN_USAGE, ENDPOINTS_HELP, DOCTOR_USAGE].map((usage) => usage.split("\n")[0])).toEqual([
      "usage: azure-github-runner-network plan [options]",
      "usage: azure-github-runner-network endpoints <show|check|update> [options]",
      "usage: azure-github-runner-network doctor [options]",
    ]);
  });

  it("--help alone prints the overview with every exit code", async () => {
    const result = await runCli(["--help"]);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("usage: azure-github-runner-network <command> [options]");
    expect(lines.slice(lines.indexOf("exit codes (every command):"))).toEqual([
      "exit codes (every command):",
      "  0   ok",
      "  1   the command found a problem: plan a mandatory policy violation, doctor a failed check,",
      "      endpoints check drift",
      "  2   invalid config or usage, a file that cannot be read, a --program that fails",
      "  70  internal error: a bug in this package (AZURE_GITHUB_RUNNER_NETWORK_DEBUG=1 prints the stack trace)",
      "",
    ]);
  });
});

describe("a user's mistake: exit 2, one line, no stack trace, in every command", () => {
  const invalidYaml = writeStackFile("config: [\n");
  // Run from a project of its own: the stack files beside it are known (other suites add some to this checkout).
  const project = writeProject("app", { "Pulumi.dev.yaml": "config: {}\n" });
  it.concurrent.each([
    [["plan", "--config", "/nonexistent/Pulumi.x.yaml"], "cannot read /nonexistent/Pulumi.x.yaml: ENOENT"],
    [
      ["plan", "--config", invalidYaml],
      `${invalidYaml} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:`,
    ],
    [["plan", "--bogus"], "Unknown option '--bogus'"],
    [
      ["plan", "--stack", "nope"],
      "stack nope (--stack) has no stack file: Pulumi.nope.yaml does not exist; stack files beside Pulumi.yaml: Pulumi.dev.yaml",
    ],
    [["doctor", "--bogus"], "Unknown option '--bogus'"],
    [["doctor", "--config", "/nonexistent/Pulumi.x.yaml"], "cannot read /nonexistent/Pulumi.x.yaml: ENOENT"],
    [
      ["doctor", "--stack", "nope"],
      "stack nope (--stack) has no stack file: Pulumi.nope.yaml does not exist; stack files beside Pulumi.yaml: Pulumi.dev.yaml",
    ],
    [["endpoints", "show", "--bogus"], "endpoints show: Unknown option '--bogus'"],
    [["endpoints", "show", "--snapshot", "/nonexistent/x.json"], "endpoints show: cannot read snapshot /nonexistent/x.json: ENOENT"],
  ])("%j", async (args, message) => {
    const result = await runCli(args, { cwd: project });
    expect(result).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
    expect(result.stderr).not.toMatch(STACK_TRACE_LINE);
  });

  it("an unknown command prints the overview to stderr", async () => {
    const result = await runCli(["frobnicate"]);
    expect([result.code, result.stdout]).toEqual([2, ""]);
    expect(result.stderr.split("\n").slice(0, 2)).toEqual([
      'unknown command "frobnicate"',
      "usage: azure-github-runner-network <command> [options]",
    ]);
    expect(result.stderr).not.toMatch(STACK_TRACE_LINE);
  });
});

describe("the stack file, found the way Pulumi finds it", () => {
  const EXAMPLE = "config: {}\n";
  const context = (cwd: string, env: Record<string, string> = {}) => ({ cwd, env });
  const find = (cwd: string, flags: { configFile?: string; stack?: string } = {}, env: Record<string, string> = {}) =>
    findStackFile({ ...flags, project: findProject(cwd), context: context(cwd, env) });

  it("--config FILE wins over --stack and PULUMI_STACK, and is kept as given", () => {
    const dir = writeProject("app", { "Pulumi.dev.yaml": EXAMPLE, "Pulumi.prod.yaml": EXAMPLE });
    expect(find(dir, { configFile: "../elsewhere/Pulumi.x.yaml", stack: "dev" }, { PULUMI_STACK: "prod" })).toBe(
      "../elsewhere/Pulumi.x.yaml",
    );
  });

  it("--stack NAME is Pulumi.NAME.yaml beside the nearest Pulumi.yaml, found from a subfolder too, and wins over PULUMI_STACK", () => {
    const dir = writeProject("app", { "Pulumi.dev.yaml": EXAMPLE, "Pulumi.prod.yaml": EXAMPLE });
    expect(find(dir, { stack: "prod" }, { PULUMI_STACK: "dev" })).toBe("Pulumi.prod.yaml");
    mkdirSync(join(dir, "src", "deep"), { recursive: true });
    expect(find(join(dir, "src", "deep"), { stack: "prod" })).toBe(join(dir, "Pulumi.prod.yaml"));
    // A fully qualified stack keeps only its name in the file name, as in Pulumi.
    expect(find(dir, { stack: "my-org/app/prod" })).toBe("Pulumi.prod.yaml");
  });

  it("PULUMI_STACK when no flag names the stack", () => {
    const dir = writeProject("app", { "Pulumi.dev.yaml": EXAMPLE, "Pulumi.prod.yaml": EXAMPLE });
    expect(find(dir, {}, { PULUMI_STACK: "dev" })).toBe("Pulumi.dev.yaml");
  });

  it("the only stack file, else Pulumi.example.yaml among several", () => {
    expect(find(writeProject("app", { "Pulumi.staging.yaml": EXAMPLE }))).toBe("Pulumi.staging.yaml");
    expect(find(writeProject("app", { "Pulumi.example.yaml": EXAMPLE, "Pulumi.prod.yaml": EXAMPLE }))).toBe("Pulumi.example.yaml");
    expect(find(REPO)).toBe("Pulumi.example.yaml");
  });

  it("the stack folder Pulumi.yaml names in stackConfigDir, and stack files with the project file's extension only", () => {
    const dir = writeProject("app", { "Pulumi.old.yml": EXAMPLE }, "stackConfigDir: stacks\n");
    mkdirSync(join(dir, "stacks"));
    writeFileSync(join(dir, "stacks", "Pulumi.dev.yaml"), EXAMPLE);
    expect(find(dir)).toBe(join("stacks", "Pulumi.dev.yaml"));
    expect(find(dir, { stack: "dev" })).toBe(join("stacks", "Pulumi.dev.yaml"));
  });

  it("a path outside the working directory is absolute", () => {
    const dir = writeProject("app", { "Pulumi.dev.yaml": EXAMPLE });
    const elsewhere = mkdtempSync(join(tmpdir(), "agrn-cwd-"));
    expect(findStackFile({ project: findProject(dir), context: context(elsewhere) })).toBe(join(dir, "Pulumi.dev.yaml"));
  });

  it.each([
    [
      "several stack files and no flag",
      { "Pulumi.dev.yaml": EXAMPLE, "Pulumi.prod.yaml": EXAMPLE },
      {},
      {},
      "which stack? 2 stack files beside Pulumi.yaml (Pulumi.dev.yaml, Pulumi.prod.yaml): pass --stack NAME or --config FILE",
    ],
    [
      "no stack file",
      {},
      {},
      {},
      "which stack? no stack file (Pulumi.<stack>.yaml) beside Pulumi.yaml: pass --stack NAME or --config FILE",
    ],
    [
      "a --stack without its file",
      { "Pulumi.dev.yaml": EXAMPLE },
      { stack: "prod" },
      {},
      "stack prod (--stack) has no stack file: Pulumi.prod.yaml does not exist; stack files beside Pulumi.yaml: Pulumi.dev.yaml",
    ],
    [
      "a PULUMI_STACK without its file",
      { "Pulumi.dev.yaml": EXAMPLE },
      {},
      { PULUMI_STACK: "ci" },
      "stack ci (PULUMI_STACK) has no stack file: Pulumi.ci.yaml does not exist; stack files beside Pulumi.yaml: Pulumi.dev.yaml",
    ],
    [
      "an empty --stack",
      { "Pulumi.dev.yaml": EXAMPLE },
      { stack: "" },
      {},
      "--stack: give a stack name, such as dev (for Pulumi.dev.yaml)",
    ],
  ])("%s: the user chooses, told which flags and which stack files there are", (_, files, flags, env, message) => {
    const dir = writeProject("app", files);
    expect(messageOf(() => find(dir, flags, env))).toBe(message);
  });

  it("no Pulumi.yaml at or above the working directory: --config is the way", () => {
    const dir = mkdtempSync(join(tmpdir(), "agrn-no-project-"));
    expect(findProject(dir)).toBeUndefined();
    expect(messageOf(() => find(dir))).toBe(
      `no Pulumi.yaml in ${dir} or any folder above it: run in your Pulumi project, or pass --config FILE`,
    );
    expect(messageOf(() => find(dir, { stack: "dev" }))).toBe(
      `no Pulumi.yaml in ${dir} or any folder above it, so stack dev (--stack) has no stack file: run in your Pulumi project, or pass --config FILE`,
    );
  });
});

describe("--program: the module Pulumi would run", () => {
  const program = (files: Record<string, string>, pulumiYaml = "") => {
    const dir = writeProject("app", {}, pulumiYaml);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };
  const moduleOf = (dir: string, at = dir) => findProgram(at, REPO).module.slice(dir.length + 1);

  it("Pulumi.yaml main: a TypeScript file, or a folder and its index", () => {
    expect(moduleOf(program({ "index.ts": "" }, "main: index.ts\n"))).toBe("index.ts");
    expect(moduleOf(program({ "src/index.ts": "" }, "main: src/\n"))).toBe("src/index.ts");
  });

  it("without main: the package.json main, else the folder's index (index.js before index.ts, as Node and Pulumi take it)", () => {
    expect(moduleOf(program({ "package.json": '{ "main": "src/app.ts" }', "src/app.ts": "" }))).toBe("src/app.ts");
    expect(moduleOf(program({ "index.ts": "", "index.js": "" }))).toBe("index.js");
  });

  it("a file as given, in the project above it", () => {
    const dir = program({ "stacks/blue.ts": "" });
    expect(findProgram(join(dir, "stacks", "blue.ts"), REPO)).toEqual({
      label: join(dir, "stacks", "blue.ts"),
      module: join(dir, "stacks", "blue.ts"),
      project: findProject(dir),
    });
  });

  it("a main with nothing to run is the user's to fix", () => {
    const dir = program({}, "main: bin/\n");
    expect(messageOf(() => findProgram(dir, REPO))).toBe(
      `program ${dir}: nothing to run at ${join(dir, "bin")}; expected a file, or a folder with index.js or index.ts`,
    );
  });
});

const TS_PROGRAM = join(REPO, "test", "support", "fixtures", "ts-program");
const TS_PROGRAM_STACK = "urn:pulumi:dev::ts-runner-app::pulumi:pulumi:Stack::ts-runner-app-dev";
/** The plan of test/support/fixtures/ts-program: its path alias resolved through its own tsconfig.json, its enum compiled. */
const TS_PROGRAM_REPORT = {
  project: "ts-runner-app",
  stack: "dev",
  resources: [
    { type: "pulumi:pulumi:Stack", name: "ts-runner-app-dev", parent: null, inputs: {}, dependencies: [], urn: TS_PROGRAM_STACK },
    {
      type: "azure-native:resources:ResourceGroup",
      name: "ci-build-rg",
      parent: TS_PROGRAM_STACK,
      inputs: { location: "eastus" },
      dependencies: [],
      urn: "urn:pulumi:dev::ts-runner-app::pulumi:pulumi:Stack$azure-native:resources:ResourceGroup::ci-build-rg",
    },
  ],
  outputs: { resourceGroup: "ci-build-rg" },
  egress: {},
  policy: { violations: [] },
};
const MANIFEST = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string; bugs: { url: string } };
/** Where the internal error asks for a report: the package's version and issue tracker. */
const REPORT_TO = `azure-github-runner-network ${MANIFEST.version} (${MANIFEST.bugs.url})`;

// Built while the tests above run; awaited (and any build failure reported) by the tests that use it.
const installing = installedPackage();
installing.catch(() => undefined);

describe("the CLI as installed: plain Node, no TypeScript loader of its own", () => {
  it("plans a TypeScript program (main: index.ts) with the program's tsconfig.json, from another folder", async () => {
    const result = await runInstalledCli(await installing, ["plan", "--program", TS_PROGRAM, "--json"], {
      cwd: mkdtempSync(join(tmpdir(), "agrn-cwd-")),
    });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(JSON.parse(result.stdout)).toEqual(TS_PROGRAM_REPORT);
  }, 120_000); // the first to wait for the build

  it("in a user's Pulumi project: this package's stack with the project's only stack file, once the package is installed there", async () => {
    const root = await installing;
    const stackFiles = { "Pulumi.prod.yaml": readFileSync(join(REPO, "Pulumi.example.yaml"), "utf8") };
    const [installedHere, missingHere] = [writeProject("runners", stackFiles), writeProject("runners", stackFiles)];
    mkdirSync(join(installedHere, "node_modules"));
    symlinkSync(root, join(installedHere, "node_modules", "azure-github-runner-network"));
    const [planned, refused] = await Promise.all([
      runInstalledCli(root, ["plan"], { cwd: installedHere }),
      runInstalledCli(root, ["plan"], { cwd: missingHere }),
    ]);
    expect([planned.code, planned.stderr]).toEqual([0, lfsBlockedWarning("primary", "failover")]);
    const lines = planned.stdout.split("\n");
    expect([lines[0], lines.at(-2)]).toEqual(["Offline plan of runners/prod (Pulumi.prod.yaml)", "Policy: no violations."]);
    expect(refused).toEqual({
      code: 2,
      stdout: "",
      stderr: `Pulumi's provider process could not load azure-github-runner-network/dynamic-providers from ${missingHere}: install azure-github-runner-network in that project (npm install), then plan again\n`,
    });
  });

  it("a package missing one of its own modules is an internal error: exit 70 (never Node's 1), what failed, and where to report it", async () => {
    const broken = join(mkdtempSync(join(tmpdir(), "agrn-broken-")), "azure-github-runner-network");
    cpSync(await installing, broken, { recursive: true });
    rmSync(join(broken, "dist", "cli", "render.js"));
    const [plain, debug] = await Promise.all([
      runInstalledCli(broken, ["plan", "--json"]),
      runInstalledCli(broken, ["plan", "--json"], { env: { AZURE_GITHUB_RUNNER_NETWORK_DEBUG: "1" } }),
    ]);
    expect(plain).toEqual({
      code: 70,
      stdout: "",
      stderr: [
        "internal error: Cannot find module './render'",
        `please report this bug in ${REPORT_TO} with the command that caused it (AZURE_GITHUB_RUNNER_NETWORK_DEBUG=1 prints the stack trace)`,
        "",
      ].join("\n"),
    });
    const lines = debug.stderr.split("\n");
    expect([debug.code, debug.stdout, ...lines.slice(0, 3)]).toEqual([
      70,
      "",
      "internal error: Cannot find module './render'",
      `please report this bug in ${REPORT_TO} with the command that caused it`,
      "Error: Cannot find module './render'",
    ]);
    expect(lines.some((line) => line.startsWith("    at ") && line.includes(join(broken, "dist", "cli", "plan.js")))).toBe(true);
  });
});

describe("--program under npm run plan (the compiled CLI; tsx loaded for the TypeScript program only)", () => {
  it.concurrent("plans the same TypeScript program to the same report", async () => {
    const result = await runCli(["plan", "--program", TS_PROGRAM, "--json"], { cwd: tmpdir() });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(JSON.parse(result.stdout)).toEqual(TS_PROGRAM_REPORT);
  });

  const FAILING = join("test", "support", "fixtures", "failing-program");
  it.concurrent.each([
    [
      "--stack load",
      ["--stack", "load"],
      {},
      `program ${FAILING} failed: TypeError: the program's own bug, while it loads (at index.ts:4:30)`,
    ],
    [
      "PULUMI_STACK=apply",
      [],
      { PULUMI_STACK: "apply" },
      `program ${FAILING} failed: the program's own bug, in an apply (eastus) (at index.ts:7:9)`,
    ],
    [
      "no stack chosen",
      [],
      {},
      `which stack? 2 stack files beside ${FAILING}/Pulumi.yaml (Pulumi.apply.yaml, Pulumi.load.yaml): pass --stack NAME or --config FILE`,
    ],
  ])("a program with a bug, %s: the user's to fix, exit 2 with the place in the program", async (_, flags, env, message) => {
    const result = await runCli(["plan", "--program", FAILING, "--json", ...flags], { env });
    expect(result).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
  });
});

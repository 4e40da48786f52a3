/**
 * The package as users get it (test/support/consumer-project.ts): packed, installed into a fresh
 * TypeScript Pulumi project outside the repository, type-checked, run under Pulumi's mocks with
 * the real closure serializer, its serialized providers loaded the way Pulumi's provider host
 * loads them, its policy pack folder loaded by Pulumi's launcher, and installed from git.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICY_DEFINITIONS } from "../../policy/definitions";
import { consumerProject, npmInstall, REPO, type ConsumerProject } from "../support/consumer-project";
import { startPolicyPack } from "../support/policy-pack";

const run = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
let project: ConsumerProject;

beforeAll(async () => {
  project = await consumerProject();
}, 900_000);

const inProject = (file: string, args: string[], input?: string) =>
  new Promise<string>((done, fail) => {
    const child = execFile(
      process.execPath,
      [join(project.dir, file), ...args],
      { cwd: project.dir, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? fail(new Error(`${file} failed: ${error.message}\n${stderr}`)) : done(stdout)),
    );
    child.stdin?.end(input ?? "");
  });

describe("the tarball", () => {
  it("holds the license, the changelog, the built code, the policy pack folder, and no maps or TypeScript sources", async () => {
    const { stdout } = await run("tar", ["-tzf", project.tarball]);
    const files = stdout
      .trim()
      .split("\n")
      .map((line) => line.replace(/^package\//, ""));
    for (const file of [
      "LICENSE",
      "CHANGELOG.md",
      "README.md",
      "package.json",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/components/dynamic-providers.js",
      "dist/policy/index.d.ts",
      "dist/cli/main.js",
      "policy-pack/PulumiPolicy.yaml",
      "policy-pack/package.json",
      "policy-pack/index.js",
    ]) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((file) => file.endsWith(".map") || (file.endsWith(".ts") && !file.endsWith(".d.ts")))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(project.installed, "package.json"), "utf8"));
    expect(manifest.license).toBe("Apache-2.0");
    expect(readFileSync(join(project.installed, "LICENSE"), "utf8")).toContain(
      "Apache License\n                           Version 2.0, January 2004",
    );
    expect(Object.keys(manifest.exports)).toEqual([".", "./policy", "./dynamic-providers", "./package.json"]);
  });
});

describe("an org stack that uses it", () => {
  // skipLibCheck as users need it: @pulumi/policy 1.21's own index.d.ts re-exports names its
  // proxy.d.ts lacks. A type of ours that does not resolve is still an error (TS2307, TS2305).
  it("type-checks under Pulumi's TypeScript template settings (commonjs, node10 resolution) and under nodenext", async () => {
    const tsc = join(project.dir, "node_modules", "typescript", "bin", "tsc");
    // Emits bin/index.js, which the next test runs.
    await expect(run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project.dir })).resolves.toMatchObject({ stdout: "" });
    await expect(run(process.execPath, [tsc, "-p", "tsconfig.nodenext.json"], { cwd: project.dir })).resolves.toMatchObject({ stdout: "" });
  }, 300_000);

  it("runs under Pulumi's mocks with the real serializer, and each serialized provider reaches its own code in Pulumi's provider host", async () => {
    const { outputs, serialized } = JSON.parse(await inProject("run-under-mocks.js", [join(project.dir, "bin", "index.js"), "3"])) as {
      outputs: Record<string, unknown>;
      serialized: { type: string; name: string; text: string }[];
    };
    expect(outputs).toEqual({
      gitHubId: "CONSUMER-GITHUB-ID",
      subnetId: "runners-subnet-id",
      runnerCapacity: 20,
      networkConfigurationId: "runners-id",
      policyNames: POLICY_DEFINITIONS.map((definition) => definition.name),
    });
    expect(serialized.map(({ type, name }) => `${type}::${name}`).sort()).toEqual([
      "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubNetworkConfiguration::runners",
      "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubRunnerGroupBinding::runners",
      "pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration::runners-provider-registration",
    ]);
    for (const { text } of serialized) {
      expect(text).not.toContain(project.dir);
      expect(text).not.toContain("node_modules");
    }
    expect(JSON.parse(await inProject("load-providers.js", [], JSON.stringify({ serialized })))).toEqual({
      "pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration::runners-provider-registration": {
        error: 'invalid provider registration inputs:\n  subscriptionId: "not-a-guid" is not a subscription id (a GUID)',
      },
      "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubNetworkConfiguration::runners": {
        result: {
          check: {
            inputs: {
              kind: "networkConfiguration",
              scope: "team",
              slug: "my-org",
              name: "x",
              gitHubId: "G",
              token: "t",
              apiUrl: "https://api.github.com",
              computeService: "actions",
              failoverEnabled: false,
            },
            failures: [{ property: "scope", reason: '"team" is not allowed; allowed: organization, enterprise' }],
          },
          // @octokit/auth-app loaded from the installed package and refused the key: not "Cannot find module".
          signInAsApp:
            "create network configuration \"x\" failed: cannot sign in as GitHub App 1 (installation 2): its private key cannot sign (DataError: Invalid key type). Set github.app.privateKey (or GITHUB_APP_PRIVATE_KEY) to the app's private key, the whole PEM file from the app's settings (Private keys > Generate a private key).",
        },
      },
      "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubRunnerGroupBinding::runners": {
        result: expect.objectContaining({
          failures: [{ property: "runnerGroupName", reason: "give exactly one of runnerGroupName and runnerGroupId" }],
        }),
      },
    });
  }, 180_000);

  it("loads the shipped policy pack folder with Pulumi's policy-pack launcher", async () => {
    const folder = join(project.installed, "policy-pack");
    expect(readFileSync(join(folder, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs\n/);
    const pack = await startPolicyPack(folder, project.dir);
    try {
      const info = await pack.call<{ getName(): string; getVersion(): string; getPoliciesList(): { getName(): string }[] }>(
        "getAnalyzerInfo",
        new pack.Empty(),
      );
      expect([info.getName(), info.getVersion(), info.getPoliciesList().map((policy) => policy.getName())]).toEqual([
        "azure-github-runner-network",
        VERSION,
        POLICY_DEFINITIONS.map((definition) => definition.name),
      ]);
    } finally {
      pack.stop();
    }
    expect(pack.stderr()).toBe("");
  }, 120_000);
});

describe("the policy pack folder on its own", () => {
  it("holds everything it imports: copied out alone with only its package.json's dependencies installed, it still loads (what pulumi policy publish uploads)", async () => {
    const alone = mkdtempSync(join(tmpdir(), "agrn-pack-alone-"));
    try {
      cpSync(join(project.installed, "policy-pack"), alone, { recursive: true });
      await npmInstall(alone);
      const pack = await startPolicyPack(alone, alone);
      try {
        const info = await pack.call<{ getName(): string; getPoliciesList(): unknown[] }>("getAnalyzerInfo", new pack.Empty());
        expect([info.getName(), info.getPoliciesList().length]).toEqual(["azure-github-runner-network", POLICY_DEFINITIONS.length]);
      } finally {
        pack.stop();
      }
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  }, 300_000);
});

describe("the installed CLI", () => {
  it("plans the org stack's TypeScript program from its project, finding its only stack file", async () => {
    const bin = join(project.dir, "node_modules", ".bin", "azure-github-runner-network");
    const { stdout } = await run(bin, ["plan", "--program", ".", "--json"], { cwd: project.dir, maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(stdout) as {
      project: string;
      stack: string;
      resources: { type: string; name: string }[];
      policy: { violations: unknown[] };
    };
    expect([report.project, report.stack]).toEqual(["consumer", "dev"]);
    expect(
      report.resources
        .filter((resource) => resource.type.startsWith("pulumi-nodejs:dynamic/"))
        .map((resource) => `${resource.type.split(":").pop()}::${resource.name}`),
    ).toEqual([
      "GitHubNetworkConfiguration::runners",
      "GitHubRunnerGroupBinding::runners",
      // The component registers its children once it has read the stack's state: after what the program declares next.
      "ProviderRegistration::runners-provider-registration",
    ]);
    expect(report.policy.violations).toEqual([]);
  }, 120_000);
});

describe("a git install", () => {
  let scratch: string;
  afterAll(() => scratch && rmSync(scratch, { recursive: true, force: true }));

  it("builds itself (prepare) and gives a package whose entry points exist", async () => {
    scratch = mkdtempSync(join(tmpdir(), "agrn-git-"));
    // A repository of this working tree as it is: what git would hand a user at this commit.
    const clone = join(scratch, "clone");
    const { stdout } = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
      cwd: REPO,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const file of stdout.split("\0").filter((file) => file && existsSync(join(REPO, file)))) {
      mkdirSync(join(clone, file, ".."), { recursive: true });
      cpSync(join(REPO, file), join(clone, file));
    }
    const git = (args: string[]) => run("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], { cwd: clone });
    await git(["init", "-q", "-b", "main"]);
    await git(["add", "-A"]);
    await git(["commit", "-q", "-m", "snapshot"]);
    const user = join(scratch, "user");
    mkdirSync(user);
    writeFileSync(
      join(user, "package.json"),
      JSON.stringify({ name: "git-user", private: true, dependencies: { "azure-github-runner-network": `git+file://${clone}` } }),
    );
    await npmInstall(user);
    const installed = join(user, "node_modules", "azure-github-runner-network");
    for (const entry of [
      "dist/components/index.js",
      "dist/policy/index.js",
      "dist/components/dynamic-providers.js",
      "dist/cli/main.js",
      "policy-pack/index.js",
    ]) {
      expect(existsSync(join(installed, entry)), entry).toBe(true);
    }
    const { stdout: loaded } = await run(
      process.execPath,
      ["-e", 'const m = require("azure-github-runner-network"); process.stdout.write(typeof m.GitHubRunnerNetwork)'],
      { cwd: user },
    );
    expect(loaded).toBe("function");
  }, 900_000);
});

/**
 * The sandbox of `npm run sandbox` (test/support/sandbox.ts): the environment it hands a shell,
 * that a client signs in and reads the subscription with it as @azure/identity and the GitHub
 * client would, that both state dumps are JSON without a token, and the command itself: one JSON
 * line with --json, the exports file for a second terminal, exit 0 on SIGTERM.
 *
 * The Pulumi CLI is a stub given with `--pulumi`: the lookup (scripts/pulumi-engine) may build
 * Pulumi for minutes on a fresh machine, which the engine suite pays for, not `npm test`.
 */
import { execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_PLUGINS, REPO, STAND_IN_BIN } from "../engine/engine-run";
import { EMULATOR_API_VERSION } from "./github-emulator";
import { shellExports, startSandbox, type Sandbox } from "./sandbox";

const ENV_KEYS = [
  "PATH",
  "PULUMI_BACKEND_URL",
  "PULUMI_HOME",
  "PULUMI_CONFIG_PASSPHRASE",
  "PULUMI_SKIP_UPDATE_CHECK",
  "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION",
  "AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT",
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "AZURE_TOKEN_CREDENTIALS",
  "ARM_SUBSCRIPTION_ID",
  "GITHUB_TOKEN",
];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:\d+$/;

let scratch: string;
let stubPulumi: string;
let sandbox: Sandbox;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "agrn-sandbox-test-"));
  stubPulumi = join(scratch, "bin", "pulumi");
  // Only its folder matters here (it goes on PATH); nothing runs it.
  mkdirSync(dirname(stubPulumi));
  writeFileSync(stubPulumi, "#!/bin/sh\nexit 0\n");
  chmodSync(stubPulumi, 0o755);
  sandbox = await startSandbox({ pulumi: stubPulumi });
});

afterAll(async () => {
  await sandbox?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The token as @azure/identity's App Service managed identity source asks the endpoint for one. */
async function managedIdentityToken(env: Record<string, string>): Promise<string> {
  const url = new URL(env.IDENTITY_ENDPOINT);
  url.searchParams.set("api-version", "2019-08-01");
  url.searchParams.set("resource", "https://management.azure.com");
  const response = await fetch(url, { headers: { "X-IDENTITY-HEADER": env.IDENTITY_HEADER } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("startSandbox", () => {
  it("gives exactly the environment of a session: scratch folder, CLI and shims on PATH, emulators", () => {
    const { env, dir } = sandbox;
    expect(Object.keys(env)).toEqual(ENV_KEYS);
    expect(sandbox.pulumi).toBe(stubPulumi);
    expect(sandbox.path).toEqual([STAND_IN_BIN, ENGINE_PLUGINS, dirname(stubPulumi), dirname(process.execPath)]);
    expect(env.PATH).toBe([...sandbox.path, process.env.PATH].join(delimiter));
    expect([env.PULUMI_BACKEND_URL, env.PULUMI_HOME, env.PULUMI_CONFIG_PASSPHRASE]).toEqual([
      `file://${join(dir, "state")}`,
      join(dir, "home"),
      "sandbox",
    ]);
    expect([statSync(join(dir, "state")).isDirectory(), statSync(join(dir, "home")).isDirectory()]).toEqual([true, true]);
    expect([env.PULUMI_SKIP_UPDATE_CHECK, env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, env.AZURE_TOKEN_CREDENTIALS]).toEqual([
      "true",
      "true",
      "ManagedIdentityCredential",
    ]);
    const arm = env.AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT;
    expect(arm).toMatch(LOOPBACK_URL);
    expect(env.IDENTITY_ENDPOINT).toBe(`${arm}/msi/token`);
    expect(env.ARM_SUBSCRIPTION_ID).toMatch(GUID);
    expect(env.GITHUB_TOKEN).toMatch(/^ghp_sandbox[0-9a-f]{30}$/);
    expect(sandbox.urls.githubApi).toMatch(LOOPBACK_URL);
    expect(sandbox.urls).toEqual({
      armApi: arm,
      armState: `${arm}/_emulator/state`,
      githubApi: sandbox.urls.githubApi,
      githubState: `${sandbox.urls.githubApi}/_emulator/state`,
    });
  });

  it("lets a client sign in through the identity endpoint and read the subscription with that token", async () => {
    const { env } = sandbox;
    const token = await managedIdentityToken(env);
    const subscription = await fetch(
      `${env.AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT}/subscriptions/${env.ARM_SUBSCRIPTION_ID}?api-version=2022-12-01`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(subscription.status).toBe(200);
    expect(await subscription.json()).toEqual({
      id: `/subscriptions/${env.ARM_SUBSCRIPTION_ID}`,
      subscriptionId: env.ARM_SUBSCRIPTION_ID,
      displayName: "Emulated",
      state: "Enabled",
      tenantId: expect.stringMatching(GUID),
    });
  });

  it("dumps both emulators' state as JSON, with no token in either", async () => {
    const { env, urls } = sandbox;
    const armToken = await managedIdentityToken(env);
    const groups = await fetch(`${urls.githubApi}/orgs/my-org/actions/runner-groups`, {
      headers: {
        authorization: `Bearer ${env.GITHUB_TOKEN}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": EMULATOR_API_VERSION,
        "user-agent": "sandbox-test",
      },
    });
    expect([
      groups.status,
      ((await groups.json()) as { runner_groups: { name: string }[] }).runner_groups.map((group) => group.name),
    ]).toEqual([200, ["Default"]]);

    const armState = await fetch(urls.armState);
    expect([armState.status, armState.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
    const armText = await armState.text();
    expect(JSON.parse(armText)).toEqual({ resources: [], log: [] });

    const gitHubState = await fetch(urls.githubState);
    expect([gitHubState.status, gitHubState.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
    const gitHubText = await gitHubState.text();
    const dump = JSON.parse(gitHubText) as { requests: { method: string; path: string; headers: Record<string, string> }[] } & Record<
      string,
      unknown
    >;
    expect(Object.keys(dump)).toEqual(["configurations", "runnerGroups", "enterpriseRunnerGroups", "requests", "violations"]);
    expect([dump.configurations, dump.violations]).toEqual([{}, []]);
    expect(dump.runnerGroups).toEqual({
      "my-org": [
        { id: 1, name: "Default", visibility: "all", default: true, allows_public_repositories: false, selected_repository_ids: [] },
      ],
    });
    // The dump itself is not API traffic: only the runner-group call is recorded.
    expect(dump.requests.map((request) => [request.method, request.path, request.headers.authorization])).toEqual([
      ["GET", "/orgs/my-org/actions/runner-groups", "present"],
    ]);

    for (const text of [armText, gitHubText])
      for (const secret of [armToken, env.GITHUB_TOKEN, env.IDENTITY_HEADER]) expect(text).not.toContain(secret);
  });

  it("prints exports that a POSIX shell sources into the same environment", async () => {
    const file = join(scratch, "sandbox.env");
    writeFileSync(file, shellExports(sandbox));
    const { stdout } = await promisify(execFile)("/bin/sh", ["-c", '. "$1" && node -p "JSON.stringify(process.env)"', "sh", file], {
      env: { PATH: process.env.PATH },
    });
    const sourced = JSON.parse(stdout) as Record<string, string>;
    expect(Object.fromEntries(ENV_KEYS.map((key) => [key, sourced[key]]))).toEqual({
      ...sandbox.env,
      PATH: [...sandbox.path, process.env.PATH].join(delimiter),
    });
    expect(
      readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("#   pulumi config set")),
    ).toEqual([
      `#   pulumi config set --path azure-github-runner-network:github.apiUrl ${sandbox.urls.githubApi}`,
      `#   pulumi config set azure-native:subscriptionId ${sandbox.env.ARM_SUBSCRIPTION_ID}`,
    ]);
  });
});

describe("npm run sandbox", () => {
  it("prints one JSON line with --json, writes the exports file, and exits 0 on SIGTERM, cleaning up", async () => {
    // npm --silent hides "Missing script", so say plainly what is run.
    expect((JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.sandbox).toBe(
      "tsx test/support/sandbox.ts",
    );
    const envFile = join(scratch, "npm-run.env");
    // --silent: without it npm prints its "> azure-github-runner-network@… sandbox" banner on stdout first.
    const child = spawn("npm", ["run", "--silent", "sandbox", "--", "--json", "--pulumi", stubPulumi, "--write-env", envFile], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let pid: number | undefined;
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        void exited.then((code) => reject(new Error(`npm run sandbox exited ${code} before printing:\n${stderr}`)));
      });
      const info = JSON.parse(line) as {
        pid: number;
        dir: string;
        pulumi: string;
        path: string[];
        env: Record<string, string>;
        urls: Record<string, string>;
        config: Record<string, string>;
      };
      pid = info.pid;
      expect(Object.keys(info)).toEqual(["pid", "dir", "pulumi", "path", "env", "urls", "config"]);
      expect(Object.keys(info.env)).toEqual(ENV_KEYS);
      expect([info.pulumi, info.path]).toEqual([
        stubPulumi,
        [STAND_IN_BIN, ENGINE_PLUGINS, dirname(stubPulumi), dirname(process.execPath)],
      ]);
      expect(info.config).toEqual({
        "azure-github-runner-network:github.apiUrl": info.urls.githubApi,
        "azure-native:subscriptionId": info.env.ARM_SUBSCRIPTION_ID,
      });
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(envFile, "utf8")).toContain(`export GITHUB_TOKEN='${info.env.GITHUB_TOKEN}'\n`);
      expect((await fetch(info.urls.armState)).status).toBe(200);

      // SIGTERM to the sandbox process itself: npm does not pass its own on through the `sh -c` it runs the script in.
      const signalled = Date.now();
      process.kill(info.pid, "SIGTERM");
      expect(await exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect([existsSync(info.dir), existsSync(envFile)]).toEqual([false, false]);
      expect(stderr).toContain("sandbox: SIGTERM, stopping\n");
    } finally {
      if (pid !== undefined && child.exitCode === null) process.kill(pid, "SIGKILL");
      child.kill("SIGKILL");
    }
  });
});

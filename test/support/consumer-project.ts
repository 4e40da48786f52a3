/**
 * The package as users get it: `npm pack` of this checkout, installed into a fresh Pulumi
 * TypeScript project outside the repository (test/support/fixtures/org-stack). Built once per tarball
 * content and reused (by the consumer test and the engine suite), since installing
 * @pulumi/azure-native takes a while even from npm's cache.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

export const REPO = resolve(__dirname, "..", "..");
const FIXTURE = join(REPO, "test", "support", "fixtures", "org-stack");
const run = promisify(execFile);

export interface ConsumerProject {
  /** The project folder (Pulumi.yaml, index.ts, node_modules). */
  dir: string;
  tarball: string;
  /** node_modules/azure-github-runner-network inside it. */
  installed: string;
}

const repoPackage = () =>
  JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
    version: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

/** `npm pack` (which builds, through `prepare`) into `destination`; returns the tarball's path. */
export async function packRepository(destination: string): Promise<string> {
  mkdirSync(destination, { recursive: true });
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", destination], {
    cwd: REPO,
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const name = stdout.trim().split("\n").pop()!;
  return join(destination, name);
}

/** Installs `dependencies` into `dir` as a user would, preferring npm's cache. */
export async function npmInstall(dir: string): Promise<void> {
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function consumerProject(): Promise<ConsumerProject> {
  const scratch = join(tmpdir(), "agrn-consumer");
  const tarball = await packRepository(join(scratch, `pack-${process.pid}`));
  const digest = createHash("sha256").update(readFileSync(tarball));
  for (const file of readdirSync(FIXTURE).sort()) digest.update(file).update(readFileSync(join(FIXTURE, file)));
  const dir = join(scratch, digest.digest("hex").slice(0, 16));
  const project = { dir, tarball: join(dir, "package.tgz"), installed: join(dir, "node_modules", "azure-github-runner-network") };
  if (existsSync(join(dir, ".installed"))) {
    rmSync(join(tarball, ".."), { recursive: true, force: true });
    return project;
  }
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  cpSync(FIXTURE, building, { recursive: true });
  renameSync(tarball, join(building, "package.tgz"));
  rmSync(join(tarball, ".."), { recursive: true, force: true });
  const { dependencies, devDependencies } = repoPackage();
  writeFileSync(
    join(building, "package.json"),
    JSON.stringify(
      {
        name: "consumer",
        private: true,
        main: "index.ts",
        dependencies: { "azure-github-runner-network": "file:./package.tgz", "@pulumi/pulumi": dependencies["@pulumi/pulumi"] },
        devDependencies: { typescript: devDependencies.typescript, "@types/node": devDependencies["@types/node"] },
      },
      null,
      2,
    ),
  );
  await npmInstall(building);
  writeFileSync(join(building, ".installed"), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return project;
}

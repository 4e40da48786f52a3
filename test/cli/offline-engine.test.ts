/**
 * The offline plan serializes dynamic providers as Pulumi does (cli/offline-engine.ts): one that
 * Pulumi's serializer cannot serialize fails the plan, as it fails `pulumi preview`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect, it } from "vitest";
import { GitHubRunnerNetwork } from "../../components/github-runner-network";
import { runOffline } from "../support/offline";

/** A user's own dynamic resource (the SDK's class is abstract). */
class UserResource extends pulumi.dynamic.Resource {}

it("fails a program whose dynamic provider Pulumi cannot serialize", async () => {
  // A bound function has no source text: Pulumi's serializer refuses it.
  const unserializable = { create: Math.max.bind(null) as unknown as pulumi.dynamic.ResourceProvider["create"] };
  await expect(
    runOffline(() => {
      new UserResource(unserializable, "mine", {}, {});
      return {};
    }),
  ).rejects.toThrow(/^the program failed as pulumi preview would fail it:\n {2}error serializing property "__provider": Error serializing/);
});

it("plans a program whose dynamic provider Pulumi can serialize, with the provider's real text", async () => {
  const serializable: pulumi.dynamic.ResourceProvider = { create: () => Promise.resolve({ id: "mine-id" }) };
  const run = await runOffline(() => {
    new UserResource(serializable, "mine", {}, {});
    return {};
  });
  expect(run.byName("mine").type).toBe("pulumi-nodejs:dynamic:Resource");
});

it("fails a program whose project cannot load this package's dynamic providers, naming the fix", async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), "no-package-"));
  try {
    await expect(
      runOffline(
        () => {
          new GitHubRunnerNetwork("east", { location: "eastus", businessId: "12345678", maxConcurrentRunners: 10 });
          return {};
        },
        {},
        elsewhere,
      ),
    ).rejects.toThrow(
      `the program failed as pulumi preview would fail it:\n  error serializing property "outputs": error serializing property "properties": error serializing property "__provider": Pulumi's provider process could not load azure-github-runner-network/dynamic-providers from ${elsewhere}: install azure-github-runner-network in that project (npm install), then plan again`,
    );
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

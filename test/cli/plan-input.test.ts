/**
 * What the offline plan refuses before it starts Pulumi's runtime (in process: planStack returns
 * before any engine exists when the config is invalid).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planStack } from "../../cli/plan";
import { ownProject } from "../../cli/stack-file";
import { generateAppKey } from "../support/github-app-keys";

const PROJECT = ownProject();
const NETWORKS = `  azure-github-runner-network:networks:
    - name: primary
      location: eastus
      addressSpace: 10.40.0.0/16
      maxConcurrentRunners: 100
`;
const GITHUB = `  azure-github-runner-network:github:
    businessId: "12345678"
    scope: organization
    slug: my-org
`;

function stackFile(config: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "agrn-plan-input-")), "Pulumi.dev.yaml");
  writeFileSync(file, `config:\n${config}`);
  return file;
}

describe("plan: input refused before anything is planned", () => {
  it("refuses a githubToken kept in plain text, as pulumi up does, without echoing it", async () => {
    const outcome = await planStack(stackFile(`  azure-github-runner-network:githubToken: ghp_plainTextToken0123\n${GITHUB}${NETWORKS}`), {
      project: PROJECT,
    });
    expect(outcome.kind === "invalid" && outcome.issues).toEqual([
      {
        path: "githubToken",
        message: "is stored in plain text; remove it and set it with pulumi config set --secret azure-github-runner-network:githubToken",
      },
    ]);
    expect(JSON.stringify(outcome)).not.toContain("ghp_plainTextToken0123");
  });

  it("takes a githubToken stored as a secret, and a region GitHub's pages disagree on with a warning", async () => {
    const outcome = await planStack(
      stackFile(
        `  azure-github-runner-network:githubToken:\n    secure: AAABADtXc2VjcmV0\n${GITHUB}${NETWORKS.replace("eastus", "ukwest")}`,
      ),
      { project: PROJECT },
    );
    expect(outcome.kind === "planned" && outcome.warnings).toEqual([
      'warning: network "primary": ukwest is listed by docs.github.com, "About Azure private networking for GitHub-hosted runners", About supported regions (shared/reference/github-docs-private-networking-excerpts.md), but not by docs.github.com, "Troubleshooting Azure private network configurations for GitHub-hosted runners", Supported regions; run doctor, which asks ARM whether GitHub.Network/networkSettings is offered there',
    ]);
    expect(outcome.kind).toBe("planned");
  });

  it("refuses a GitHub App private key kept in plain text, without echoing it; takes one stored as a secret", async () => {
    const key = generateAppKey().privateKey;
    const app = (privateKey: string) => `${GITHUB}    app:\n      appId: 1234\n      installationId: 5678\n${privateKey}`;
    const plain = await planStack(stackFile(`${app(`      privateKey: ${JSON.stringify(key)}\n`)}${NETWORKS}`), { project: PROJECT });
    expect(plain.kind === "invalid" && plain.issues).toEqual([
      {
        path: "github.app.privateKey",
        message:
          "is stored in plain text; remove it and set it with pulumi config set --secret --path 'azure-github-runner-network:github.app.privateKey' < app-private-key.pem, or set GITHUB_APP_PRIVATE_KEY",
      },
    ]);
    expect(JSON.stringify(plain)).not.toContain(key.split("\n")[1]);
    const secret = await planStack(stackFile(`${app("      privateKey:\n        secure: AAABADtXc2VjcmV0\n")}${NETWORKS}`), {
      project: PROJECT,
    });
    expect(secret.kind).toBe("planned");
  });

  it("refuses __proto__ and constructor keys at any level by their path, and merges nothing", async () => {
    const outcome = await planStack(
      stackFile(`${GITHUB}    __proto__: { polluted: true }
  azure-github-runner-network:networks:
    - name: primary
      location: eastus
      addressSpace: 10.40.0.0/16
      maxConcurrentRunners: 100
      constructor: 1
      tags:
        __proto__: x
`),
      { project: PROJECT },
    );
    expect(outcome.kind === "invalid" && outcome.issues.map((issue) => issue.path)).toEqual([
      "github.__proto__",
      "networks[0].constructor",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

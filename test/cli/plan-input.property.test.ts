/**
 * Any YAML document as a stack file: the plan answers with problems by key path (exit 2) or an
 * InputError (exit 2), never anything the CLI would report as an internal error (exit 70).
 * In process; documents that would plan are left out (Pulumi's runtime starts once per process).
 */
import * as fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { InputError } from "../../cli/command";
import { planStack } from "../../cli/plan";
import { loadStackConfigFile, ownProject } from "../../cli/stack-file";
import { validateStackConfig } from "../../components/lib/stack-config";
import { readStackConfig } from "../../infra/config";

const NS = "azure-github-runner-network";
const PROJECT = ownProject();
const dir = mkdtempSync(join(tmpdir(), "agrn-plan-property-"));
let files = 0;

const anyValue = fc.jsonValue({ maxDepth: 4 });
const document = fc.oneof(
  anyValue,
  fc.record({ config: anyValue }),
  fc.record({
    config: fc.record(
      {
        [`${NS}:github`]: fc.oneof(anyValue, fc.constant({ businessId: "1", scope: "organization", slug: "o" })),
        [`${NS}:networks`]: fc.oneof(
          anyValue,
          fc.array(
            fc.dictionary(fc.constantFrom("name", "location", "addressSpace", "maxConcurrentRunners", "__proto__", "egress"), anyValue),
            { maxLength: 3 },
          ),
        ),
        [`${NS}:tags`]: anyValue,
        [`${NS}:githubToken`]: fc.oneof(fc.string(), fc.constant({ secure: "AAAB" })),
      },
      { requiredKeys: [] },
    ),
  }),
);

describe("plan on any YAML document", () => {
  it("gives problems by key path or a one-line input error, never an internal error", async () => {
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        const file = join(dir, `Pulumi.s${files++}.yaml`);
        writeFileSync(file, stringify(doc));
        let wouldPlan = false;
        try {
          wouldPlan = validateStackConfig(readStackConfig(loadStackConfigFile(file, PROJECT.name).config)).ok;
        } catch {
          // The plan reports this itself, below.
        }
        fc.pre(!wouldPlan);
        try {
          const outcome = await planStack(file, { project: PROJECT });
          expect(outcome.kind).toBe("invalid");
          if (outcome.kind === "invalid") {
            expect(outcome.issues.length).toBeGreaterThan(0);
            for (const issue of outcome.issues) expect(issue.path.length).toBeGreaterThan(0);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

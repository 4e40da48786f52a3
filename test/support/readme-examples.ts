/** The stack configs README shows as examples, planned offline as they stand. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planStack } from "../../cli/plan";
import { ownProject } from "../../cli/stack-file";
import { REPO } from "./cli";

/** The fenced YAML block after `<!-- example: NAME -->` in README.md. */
export function readmeExample(name: string): string {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no example ${name}`);
  return match[1];
}

/** Plans a README example as a stack file of its own (Pulumi's runtime takes one plan per process: one example per test file). */
export async function planExample(name: string) {
  const file = join(mkdtempSync(join(tmpdir(), "agrn-readme-")), `Pulumi.${name}.yaml`);
  writeFileSync(file, readmeExample(name));
  const outcome = await planStack(file, { project: ownProject() });
  if (outcome.kind !== "planned") throw new Error(JSON.stringify(outcome));
  return outcome;
}

/** The JSON Schema files in test/support/github-api as the schema checks read them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GITHUB_API_SCHEMA_DIR } from "./github-emulator";

export type Schema = Record<string, unknown>;

/** Enterprise runner group files, from GitHub's Enterprise Cloud description, by their organization counterpart. */
export const ENTERPRISE_RUNNER_GROUP_FILES: Record<string, string> = {
  "enterprise-runner-groups-create.request.json": "runner-groups-create.request.json",
  "enterprise-runner-groups-update.request.json": "runner-groups-update.request.json",
  "runner-groups-enterprise.json": "runner-groups-org.json",
};
/** Error components from the same description, for the emulator's 422 and 404 answers. */
export const ERROR_COMPONENTS = ["validation-error.json", "basic-error.json"];
/** Files the OpenAPI excerpts do not cover: test/support/github-api-schemas.test.ts checks them. */
export const NOT_IN_EXCERPTS = new Set([...Object.keys(ENTERPRISE_RUNNER_GROUP_FILES), ...ERROR_COMPONENTS]);

/** A file's keywords that only name it and its source, and the schema without them. */
export function readProjectSchema(file: string): { naming: { $comment: unknown; $id: unknown; $schema: unknown }; schema: Schema } {
  const { $comment, $id, $schema, ...schema } = JSON.parse(readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8")) as Schema;
  return { naming: { $comment, $id, $schema }, schema };
}

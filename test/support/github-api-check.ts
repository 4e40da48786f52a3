/**
 * `npm run schemas:check -- <reference-dir>`, a maintainer's tool: checks that the JSON Schema files in
 * test/support/github-api, which the GitHub emulator validates requests and answers with, are a
 * faithful transcription of GitHub's OpenAPI description, given as the excerpts a maintainer keeps
 * outside the repository (the directory is named on the command line; tests never read it, so the
 * repository stays self-contained).
 *
 * From each excerpt it takes the schema the emulator needs, turns it into the form the project
 * keeps (annotations `title`, `description` and `example` left out, OpenAPI `nullable` as a JSON
 * Schema type union, `#/components/schemas/<name>` as `<name>.json`, request bodies closed with
 * `additionalProperties: false`) and compares it with the project's file. The enterprise runner
 * group files and the error components come from GitHub's Enterprise Cloud description, which the
 * excerpts do not cover; github-api-schemas.test.ts checks those against their organization
 * counterparts. Exit 0 when every file matches, 1 on a difference, 2 on bad usage.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { GITHUB_API_SCHEMA_DIR, SCHEMA_FILES } from "./github-emulator";
import { NOT_IN_EXCERPTS, readProjectSchema, type Schema } from "./github-api-files";

type Operation = {
  requestBody: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content: Record<string, { schema: Schema }> }>;
};

/** The lines after the marker's line up to `to` (or the end), without comments and blank lines, dedented. */
export function section(text: string, from: string, to: string | undefined): string {
  const marker = text.indexOf(from);
  const start = marker < 0 ? -1 : text.indexOf("\n", marker) + 1;
  const end = to === undefined ? text.length : text.indexOf(to, start);
  if (marker < 0 || end < 0) throw new Error(`reference excerpt changed: cannot find "${from}" or "${to}"`);
  const lines = text
    .slice(start, end)
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
  const indent = Math.min(...lines.map((line) => line.length - line.trimStart().length));
  return lines.map((line) => line.slice(indent)).join("\n");
}

const ANNOTATIONS = new Set(["title", "description", "example"]);

/** An OpenAPI 3.0 schema object in the project's JSON Schema form. */
export function toJsonSchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key === "nullable") continue;
    if (key === "$ref") out.$ref = `${String(value).replace(/^#\/components\/schemas\//, "")}.json`;
    else if (key === "properties")
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, s]) => [name, toJsonSchema(s)]));
    else if (key === "items") out.items = toJsonSchema(value as Schema);
    else out[key] = value;
  }
  if (schema.nullable === true) out.type = [schema.type, "null"];
  return out;
}

const requestBody = (operation: Operation): Schema => ({
  ...toJsonSchema(operation.requestBody.content["application/json"].schema),
  additionalProperties: false,
});
const answer = (operation: Operation, status: string): Schema =>
  toJsonSchema(operation.responses[status].content["application/json"].schema);

export interface ReferenceSchemas {
  request: Record<string, Schema>;
  response: Record<string, Schema>;
  components: Record<string, Schema>;
}

/** The schemas the excerpts give, by emulator validator key, and their components by file name. */
export function fromReference(readReference: (file: string) => string): ReferenceSchemas {
  const request: Record<string, Schema> = {};
  const response: Record<string, Schema> = {};
  const components: Record<string, Schema> = {};
  const addComponents = (parsed: Record<string, Schema>) => {
    for (const [name, schema] of Object.entries(parsed)) components[`${name}.json`] = toJsonSchema(schema);
  };
  addComponents(parseYaml(readReference("openapi-network-configuration-and-network-settings-schemas.yaml")) as Record<string, Schema>);

  for (const [scope, file, list, item, settings] of [
    [
      "organization",
      "openapi-org-network-configurations-paths.yaml",
      "/orgs/{org}/settings/network-configurations",
      "/orgs/{org}/settings/network-configurations/{network_configuration_id}",
      "/orgs/{org}/settings/network-settings/{network_settings_id}",
    ],
    [
      "enterprise",
      "openapi-enterprise-network-configurations-paths.yaml",
      "/enterprises/{enterprise}/network-configurations",
      "/enterprises/{enterprise}/network-configurations/{network_configuration_id}",
      "/enterprises/{enterprise}/network-settings/{network_settings_id}",
    ],
  ] as const) {
    const paths = parseYaml(readReference(file)) as Record<string, Record<string, Operation>>;
    request[`POST ${scope} network-configuration`] = requestBody(paths[list].post);
    request[`PATCH ${scope} network-configuration`] = requestBody(paths[item].patch);
    response[`201 ${scope} network-configuration`] = answer(paths[list].post, "201");
    response[`200 ${scope} network-configuration`] = answer(paths[item].get, "200");
    response[`200 ${scope} network-configuration list`] = answer(paths[list].get, "200");
    response[`200 ${scope} network-settings`] = answer(paths[settings].get, "200");
  }

  const runnerGroups = readReference("openapi-org-runner-groups-network_configuration_id.yaml");
  const postMarker = "# ---- POST /orgs/{org}/actions/runner-groups";
  const patchMarker = "# ---- PATCH /orgs/{org}/actions/runner-groups/{runner_group_id} ----";
  const schemaMarker = "# ---- components/schemas/runner-groups-org (response schema) ----";
  // The POST block is the tail of the operation: the request body's schema, its examples, then the responses.
  const postBlock = runnerGroups.slice(runnerGroups.indexOf(postMarker), runnerGroups.indexOf(patchMarker));
  const post = {
    schema: (parseYaml(section(postBlock, postMarker, "            examples:")) as { schema: Schema }).schema,
    responses: parseYaml(section(postBlock, "      responses:", "      x-github:")) as Operation["responses"],
  };
  const patch = (parseYaml(section(runnerGroups, patchMarker, schemaMarker)) as { patch: Operation }).patch;
  addComponents(parseYaml(section(runnerGroups, schemaMarker, undefined)) as Record<string, Schema>);
  request["POST runner-group"] = { ...toJsonSchema(post.schema), additionalProperties: false };
  request["PATCH runner-group"] = requestBody(patch);
  // The emulator checks every runner group answer (create, get, update) against one schema.
  response["POST runner-group 201"] = toJsonSchema(post.responses["201"].content["application/json"].schema);
  response["PATCH runner-group 200"] = toJsonSchema(patch.responses["200"].content["application/json"].schema);
  response["runner-group"] = response["POST runner-group 201"];
  return { request, response, components };
}

/** The components the project keeps a file of. */
const COMPONENTS = ["network-configuration.json", "network-settings.json", "runner-groups-org.json"];

/** Every difference between the project's files and what the excerpts give, one line each. */
export function differences(reference: ReferenceSchemas): string[] {
  const problems: string[] = [];
  const checked = new Set<string>();
  const compare = (file: string, expected: Schema | undefined, what: string) => {
    if (expected === undefined) {
      problems.push(`${what}: not in the excerpts`);
      return;
    }
    checked.add(file);
    if (!isDeepStrictEqual(readProjectSchema(file).schema, expected))
      problems.push(`${file} (${what}) differs from the excerpts:\n  expected ${JSON.stringify(expected)}`);
  };
  for (const kind of ["request", "response"] as const) {
    for (const [key, file] of Object.entries(SCHEMA_FILES[kind])) {
      if (NOT_IN_EXCERPTS.has(file)) continue;
      const expected = reference[kind][key];
      // Where the description refers to a component, the emulator must use that component's file.
      const target = typeof expected?.$ref === "string" && Object.keys(expected).length === 1 ? expected.$ref : undefined;
      if (target === undefined) compare(file, expected, `${kind} ${key}`);
      else if (file !== target) problems.push(`${kind} ${key}: the emulator uses ${file}, the description refers to ${target}`);
    }
  }
  for (const file of COMPONENTS) compare(file, reference.components[file], `component ${file}`);
  for (const key of ["POST runner-group 201", "PATCH runner-group 200"])
    if (!isDeepStrictEqual(reference.response[key], { $ref: "runner-groups-org.json" }))
      problems.push(`${key}: the description no longer answers with runner-groups-org`);
  const unchecked = readdirSync(GITHUB_API_SCHEMA_DIR).filter(
    (file) => file.endsWith(".json") && !checked.has(file) && !NOT_IN_EXCERPTS.has(file),
  );
  for (const file of unchecked) problems.push(`${file}: the emulator does not use it, so nothing checks it`);
  return problems;
}

/** The command: its exit code, with what it says written through `write` (stdout, or stderr for problems). */
export function schemasCheck(args: string[], write: (text: string, stream: "out" | "err") => void): number {
  const [dir] = args;
  if (dir === undefined || !existsSync(dir)) {
    const given = dir === undefined ? "no directory given" : `${dir} does not exist`;
    write(
      `reference-dir: ${given}; usage: npm run schemas:check -- <reference-dir> (the directory with GitHub's OpenAPI excerpts)\n`,
      "err",
    );
    return 2;
  }
  const problems = differences(fromReference((file) => readFileSync(join(resolve(dir), file), "utf8")));
  if (problems.length) {
    write(`${problems.join("\n")}\n`, "err");
    return 1;
  }
  write(`test/support/github-api: every file matches the excerpts in ${dir}\n`, "out");
  return 0;
}

if (require.main === module)
  process.exitCode = schemasCheck(process.argv.slice(2), (text, stream) =>
    (stream === "out" ? process.stdout : process.stderr).write(text),
  );

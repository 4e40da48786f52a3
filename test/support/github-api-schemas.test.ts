/**
 * The JSON Schema files in test/support/github-api, which the GitHub emulator validates requests and
 * answers with, are a faithful transcription of GitHub's OpenAPI description.
 *
 * This is the one test that reads ../shared/reference, on purpose: it checks the project's copy
 * against its source, the OpenAPI excerpts kept beside the repository. A plain clone has no
 * ../shared, so there the check is skipped; everything else uses only test/support/github-api.
 *
 * From each excerpt it takes the schema the emulator needs, turns it into the form the project
 * keeps (annotations `title`, `description` and `example` left out, OpenAPI `nullable` as a JSON
 * Schema type union, `#/components/schemas/<name>` as `<name>.json`, request bodies closed with
 * `additionalProperties: false`) and asserts deep equality with the project's file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { GITHUB_API_SCHEMA_DIR, SCHEMA_FILES } from "./github-emulator";

const REFERENCE_DIR = join(__dirname, "..", "..", "..", "shared", "reference");

type Schema = Record<string, unknown>;
type Operation = {
  requestBody: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content: Record<string, { schema: Schema }> }>;
};

function readReference(file: string): string {
  return readFileSync(join(REFERENCE_DIR, file), "utf8");
}

/** Lines between two markers, with their common indentation removed. */
function section(text: string, from: string, to: string | undefined): string {
  const marker = text.indexOf(from);
  // The section starts on the line after the marker's line.
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
function toJsonSchema(schema: Schema): Schema {
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

/** The schemas the description gives, by emulator validator key, and its components by file name. */
function fromReference(): { request: Record<string, Schema>; response: Record<string, Schema>; components: Record<string, Schema> } {
  const request: Record<string, Schema> = {};
  const response: Record<string, Schema> = {};
  const components: Record<string, Schema> = {};
  const addComponents = (parsed: Record<string, Schema>) => {
    for (const [name, schema] of Object.entries(parsed)) components[`${name}.json`] = toJsonSchema(schema);
  };
  addComponents(parseYaml(readReference("openapi-network-configuration-and-network-settings-schemas.yaml")) as Record<string, Schema>);

  for (const [scope, file, list, item] of [
    [
      "organization",
      "openapi-org-network-configurations-paths.yaml",
      "/orgs/{org}/settings/network-configurations",
      "/orgs/{org}/settings/network-configurations/{network_configuration_id}",
    ],
    [
      "enterprise",
      "openapi-enterprise-network-configurations-paths.yaml",
      "/enterprises/{enterprise}/network-configurations",
      "/enterprises/{enterprise}/network-configurations/{network_configuration_id}",
    ],
  ] as const) {
    const paths = parseYaml(readReference(file)) as Record<string, Record<string, Operation>>;
    request[`POST ${scope} network-configuration`] = requestBody(paths[list].post);
    request[`PATCH ${scope} network-configuration`] = requestBody(paths[item].patch);
    response[`201 ${scope} network-configuration`] = answer(paths[list].post, "201");
    response[`200 ${scope} network-configuration`] = answer(paths[item].get, "200");
    response[`200 ${scope} network-configuration list`] = answer(paths[list].get, "200");
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
  for (const [what, responses, status] of [
    ["POST", post.responses, "201"],
    ["PATCH", patch.responses, "200"],
  ] as const) {
    expect(toJsonSchema(responses[status].content["application/json"].schema), `${what} runner group ${status}`).toEqual({
      $ref: "runner-groups-org.json",
    });
  }
  response["runner-group"] = { $ref: "runner-groups-org.json" };
  return { request, response, components };
}

/** A project file without the keywords that only name it and its source. */
function projectSchema(file: string): Schema {
  const { $comment, $id, $schema, ...schema } = JSON.parse(readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8")) as Schema;
  expect(typeof $comment, `${file} names its source in $comment`).toBe("string");
  expect($id).toBe(file);
  expect($schema).toBe("http://json-schema.org/draft-07/schema#");
  return schema;
}

describe.skipIf(!existsSync(REFERENCE_DIR))("test/support/github-api against GitHub's OpenAPI excerpts in ../shared/reference", () => {
  // Read when the tests run, not when they are collected (a skipped suite is still collected).
  let cached: ReturnType<typeof fromReference> | undefined;
  const reference = () => (cached ??= fromReference());
  const files = readdirSync(GITHUB_API_SCHEMA_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort();
  /** The components the project keeps a file of (network-settings it does not need). */
  const components = ["network-configuration.json", "runner-groups-org.json"];
  const checked = new Set<string>();

  /** What the emulator validates `key` with is what the description gives: the same schema, or the component it refers to. */
  const expectTranscribed = (kind: "request" | "response", key: string) => {
    const file = SCHEMA_FILES[kind][key];
    const expected = reference()[kind][key];
    expect(expected, `${kind} ${key} is in the excerpts`).toBeDefined();
    const target = typeof expected.$ref === "string" && Object.keys(expected).length === 1 ? expected.$ref : undefined;
    if (target !== undefined) {
      expect(file, `${kind} ${key} uses the component the description refers to`).toBe(target);
    } else {
      expect(projectSchema(file), `${file} (${kind} ${key})`).toStrictEqual(expected);
      checked.add(file);
    }
  };

  it.each(Object.keys(SCHEMA_FILES.request))("request body %s", (key) => expectTranscribed("request", key));
  it.each(Object.keys(SCHEMA_FILES.response))("response %s", (key) => expectTranscribed("response", key));

  it.each(components)("component %s", (file) => {
    expect(reference().components[file], `${file} is in the excerpts`).toBeDefined();
    expect(projectSchema(file)).toStrictEqual(reference().components[file]);
  });

  it("every file in test/support/github-api is checked, and every reference the files make resolves to one of them", () => {
    for (const key of Object.keys(SCHEMA_FILES.request)) expectTranscribed("request", key);
    for (const key of Object.keys(SCHEMA_FILES.response)) expectTranscribed("response", key);
    const unchecked = files.filter((file) => !checked.has(file) && !components.includes(file));
    expect(unchecked).toEqual([]);
    const refs = files.flatMap((file) =>
      [...readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8").matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1]),
    );
    expect(refs.filter((ref) => !files.includes(ref))).toEqual([]);
  });
});

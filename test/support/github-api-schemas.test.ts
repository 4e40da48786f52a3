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
 *
 * The enterprise runner group files come from GitHub's Enterprise Cloud description, which the
 * excerpts do not cover: each must be its organization counterpart (checked above) with exactly the
 * differences the two descriptions show, listed here. The error components (422, 404) are from
 * that description too; they are checked for naming their source, and the emulator checks its
 * own error answers against them.
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

/** Without the given keys. */
function without(record: Schema, keys: readonly string[]): Schema {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

const propertiesOf = (schema: Schema) => schema.properties as Record<string, Schema>;
const ENTERPRISE_VISIBILITY = { type: "string", enum: ["selected", "all"] };
const GHEC_SOURCE =
  "descriptions/ghec/ghec.2022-11-28.yaml (GitHub Enterprise Cloud, info.version 1.1.4, REST API version 2022-11-28; commit 0029c0d4a6d330559abe0e45b22263bbe1c6b1a7";

/**
 * Enterprise runner group schemas (ghec.2022-11-28.yaml) as their organization counterparts with
 * the differences between the two operations: organizations instead of repositories, no `private`
 * visibility, no inheritance (enterprise groups are the ones organizations inherit), and an update
 * that requires nothing and defaults visibility to `all`.
 */
const ENTERPRISE_COUNTERPARTS: Record<string, { organization: string; differences: (organization: Schema) => Schema }> = {
  "enterprise-runner-groups-create.request.json": {
    organization: "runner-groups-create.request.json",
    differences: (organization) => ({
      ...organization,
      properties: {
        ...without(propertiesOf(organization), ["selected_repository_ids"]),
        visibility: ENTERPRISE_VISIBILITY,
        selected_organization_ids: { type: "array", items: { type: "integer" } },
      },
    }),
  },
  "enterprise-runner-groups-update.request.json": {
    organization: "runner-groups-update.request.json",
    differences: (organization) => ({
      ...without(organization, ["required"]),
      properties: { ...propertiesOf(organization), visibility: { ...ENTERPRISE_VISIBILITY, default: "all" } },
    }),
  },
  "runner-groups-enterprise.json": {
    organization: "runner-groups-org.json",
    differences: (organization) => ({
      ...organization,
      properties: {
        ...without(propertiesOf(organization), ["selected_repositories_url", "inherited", "inherited_allows_public_repositories"]),
        selected_organizations_url: { type: "string" },
      },
      required: (organization.required as string[]).filter((key) => key !== "inherited"),
    }),
  },
};
/** Error components from the same description, for the emulator's 422 and 404 answers. */
const ERROR_COMPONENTS = ["validation-error.json", "basic-error.json"];
const notInExcerpts = new Set([...Object.keys(ENTERPRISE_COUNTERPARTS), ...ERROR_COMPONENTS]);
const withSortedRequired = (schema: Schema): Schema =>
  Array.isArray(schema.required) ? { ...schema, required: [...(schema.required as string[])].sort() } : schema;

describe("test/support/github-api files from GitHub's Enterprise Cloud description", () => {
  const counterparts = Object.entries(ENTERPRISE_COUNTERPARTS).map(
    ([file, { organization, differences }]) => [file, organization, differences] as const,
  );
  it.each(counterparts)("%s is %s with the enterprise differences", (file, organization, differences) => {
    expect(JSON.parse(readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8")).$comment).toContain(GHEC_SOURCE);
    expect(withSortedRequired(projectSchema(file))).toStrictEqual(withSortedRequired(differences(projectSchema(organization))));
  });

  it.each(ERROR_COMPONENTS)("%s names its source", (file) => {
    const { $comment } = JSON.parse(readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8")) as { $comment: string };
    expect($comment).toContain(GHEC_SOURCE);
    expect($comment).toContain(`components/schemas/${file.replace(/\.json$/, "")}`);
  });

  it("the emulator validates every enterprise runner group request and answer with them", () => {
    expect(SCHEMA_FILES.request["POST enterprise runner-group"]).toBe("enterprise-runner-groups-create.request.json");
    expect(SCHEMA_FILES.request["PATCH enterprise runner-group"]).toBe("enterprise-runner-groups-update.request.json");
    expect(SCHEMA_FILES.response["enterprise runner-group"]).toBe("runner-groups-enterprise.json");
  });
});

describe.skipIf(!existsSync(REFERENCE_DIR))("test/support/github-api against GitHub's OpenAPI excerpts in ../shared/reference", () => {
  // Read when the tests run, not when they are collected (a skipped suite is still collected).
  let cached: ReturnType<typeof fromReference> | undefined;
  const reference = () => (cached ??= fromReference());
  const files = readdirSync(GITHUB_API_SCHEMA_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort();
  /** The components the project keeps a file of. */
  const components = ["network-configuration.json", "network-settings.json", "runner-groups-org.json"];
  /** Validator keys whose schema comes from the excerpts (the others are checked above). */
  const fromExcerpts = (kind: "request" | "response") =>
    Object.keys(SCHEMA_FILES[kind]).filter((key) => !notInExcerpts.has(SCHEMA_FILES[kind][key]));
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

  it.each(fromExcerpts("request"))("request body %s", (key) => expectTranscribed("request", key));
  it.each(fromExcerpts("response"))("response %s", (key) => expectTranscribed("response", key));

  it.each(components)("component %s", (file) => {
    expect(reference().components[file], `${file} is in the excerpts`).toBeDefined();
    expect(projectSchema(file)).toStrictEqual(reference().components[file]);
  });

  it("every file in test/support/github-api is checked (here or against its counterpart), and every reference the files make resolves to one of them", () => {
    for (const key of fromExcerpts("request")) expectTranscribed("request", key);
    for (const key of fromExcerpts("response")) expectTranscribed("response", key);
    const unchecked = files.filter((file) => !checked.has(file) && !components.includes(file) && !notInExcerpts.has(file));
    expect(unchecked).toEqual([]);
    const refs = files.flatMap((file) =>
      [...readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8").matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1]),
    );
    expect(refs.filter((ref) => !files.includes(ref))).toEqual([]);
  });
});

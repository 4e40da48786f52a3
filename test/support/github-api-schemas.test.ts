/**
 * The JSON Schema files in test/support/github-api, which the GitHub emulator validates requests and
 * answers with, hold together: each names its source, every reference resolves, the emulator uses
 * each, and the enterprise files are their organization counterparts with exactly the differences
 * GitHub's two descriptions show. Whether the files still match GitHub's OpenAPI excerpts is the
 * maintainer's check, `npm run schemas:check -- <reference-dir>` (github-api-check.ts); its logic is
 * tested here on hand-written OpenAPI, so no test reads anything outside the repository.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { differences, schemasCheck, section, toJsonSchema, type ReferenceSchemas } from "./github-api-check";
import { ENTERPRISE_RUNNER_GROUP_FILES, ERROR_COMPONENTS, NOT_IN_EXCERPTS, readProjectSchema, type Schema } from "./github-api-files";
import { GITHUB_API_SCHEMA_DIR, SCHEMA_FILES } from "./github-emulator";

const FILES = readdirSync(GITHUB_API_SCHEMA_DIR)
  .filter((name) => name.endsWith(".json"))
  .sort();

/** A project file without the keywords that only name it and its source. */
function projectSchema(file: string): Schema {
  const { naming, schema } = readProjectSchema(file);
  expect(typeof naming.$comment, `${file} names its source in $comment`).toBe("string");
  expect(naming.$id).toBe(file);
  expect(naming.$schema).toBe("http://json-schema.org/draft-07/schema#");
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
const ENTERPRISE_DIFFERENCES: Record<string, (organization: Schema) => Schema> = {
  "enterprise-runner-groups-create.request.json": (organization) => ({
    ...organization,
    properties: {
      ...without(propertiesOf(organization), ["selected_repository_ids"]),
      visibility: ENTERPRISE_VISIBILITY,
      selected_organization_ids: { type: "array", items: { type: "integer" } },
    },
  }),
  "enterprise-runner-groups-update.request.json": (organization) => ({
    ...without(organization, ["required"]),
    properties: { ...propertiesOf(organization), visibility: { ...ENTERPRISE_VISIBILITY, default: "all" } },
  }),
  "runner-groups-enterprise.json": (organization) => ({
    ...organization,
    properties: {
      ...without(propertiesOf(organization), ["selected_repositories_url", "inherited", "inherited_allows_public_repositories"]),
      selected_organizations_url: { type: "string" },
    },
    required: (organization.required as string[]).filter((key) => key !== "inherited"),
  }),
};
const withSortedRequired = (schema: Schema): Schema =>
  Array.isArray(schema.required) ? { ...schema, required: [...(schema.required as string[])].sort() } : schema;

describe("test/support/github-api files", () => {
  it.each(FILES)("%s names itself, its draft and its source", (file) => {
    projectSchema(file);
  });

  it("every reference a file makes resolves to one of the files", () => {
    const refs = FILES.flatMap((file) =>
      [...readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8").matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1]),
    );
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !FILES.includes(ref))).toEqual([]);
  });

  it("the emulator validates with every file, directly or through a reference", () => {
    const used = new Set([...Object.values(SCHEMA_FILES.request), ...Object.values(SCHEMA_FILES.response)]);
    for (const file of [...used])
      for (const [, ref] of readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8").matchAll(/"\$ref": "([^"]+)"/g)) used.add(ref);
    expect(FILES.filter((file) => !used.has(file))).toEqual([]);
  });
});

describe("test/support/github-api files from GitHub's Enterprise Cloud description", () => {
  it("lists the differences of each enterprise file", () => {
    expect(Object.keys(ENTERPRISE_DIFFERENCES).sort()).toEqual(Object.keys(ENTERPRISE_RUNNER_GROUP_FILES).sort());
  });

  it.each(Object.entries(ENTERPRISE_RUNNER_GROUP_FILES))("%s is %s with the enterprise differences", (file, organization) => {
    expect(readProjectSchema(file).naming.$comment).toContain(GHEC_SOURCE);
    expect(withSortedRequired(projectSchema(file))).toStrictEqual(
      withSortedRequired(ENTERPRISE_DIFFERENCES[file](projectSchema(organization))),
    );
  });

  it.each(ERROR_COMPONENTS)("%s names its source", (file) => {
    const { $comment } = readProjectSchema(file).naming as { $comment: string };
    expect($comment).toContain(GHEC_SOURCE);
    expect($comment).toContain(`components/schemas/${file.replace(/\.json$/, "")}`);
  });

  it("the emulator validates every enterprise runner group request and answer with them", () => {
    expect(SCHEMA_FILES.request["POST enterprise runner-group"]).toBe("enterprise-runner-groups-create.request.json");
    expect(SCHEMA_FILES.request["PATCH enterprise runner-group"]).toBe("enterprise-runner-groups-update.request.json");
    expect(SCHEMA_FILES.response["enterprise runner-group"]).toBe("runner-groups-enterprise.json");
  });
});

describe("npm run schemas:check (github-api-check.ts)", () => {
  it("turns an OpenAPI schema into the project's form: no annotations, nullable as a union, component refs as file names", () => {
    expect(
      toJsonSchema({
        title: "Thing",
        description: "A thing",
        type: "object",
        required: ["id"],
        properties: {
          id: { type: "string", example: "123ABC" },
          label: { type: "string", nullable: true, description: "may be null" },
          owner: { $ref: "#/components/schemas/simple-user" },
          tags: { type: "array", items: { type: "string", maxLength: 10, title: "tag" } },
        },
      }),
    ).toStrictEqual({
      type: "object",
      required: ["id"],
      properties: {
        id: { type: "string" },
        label: { type: ["string", "null"] },
        owner: { $ref: "simple-user.json" },
        tags: { type: "array", items: { type: "string", maxLength: 10 } },
      },
    });
    expect(toJsonSchema({ type: "integer", nullable: true })).toStrictEqual({ type: ["integer", "null"] });
  });

  it("cuts a section out of an excerpt: the lines after the marker's line, without comments, dedented", () => {
    const text = ["# ---- A ----", "    one: 1", "    # a comment", "", "      two: 2", "# ---- B ----", "    three: 3"].join("\n");
    expect(section(text, "# ---- A", "# ---- B")).toBe("one: 1\n  two: 2");
    expect(section(text, "# ---- B", undefined)).toBe("three: 3");
    expect(() => section(text, "# ---- C", undefined)).toThrow('reference excerpt changed: cannot find "# ---- C" or "undefined"');
  });

  /** What the excerpts would give if the project's files were exact transcriptions of them. */
  function referenceOfProjectFiles(): ReferenceSchemas {
    const transcribed = (table: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(table)
          .filter(([, file]) => !NOT_IN_EXCERPTS.has(file))
          .map(([key, file]) => [key, file === "runner-groups-org.json" ? { $ref: file } : readProjectSchema(file).schema]),
      );
    const runnerGroup = { $ref: "runner-groups-org.json" };
    return {
      request: transcribed(SCHEMA_FILES.request),
      response: { ...transcribed(SCHEMA_FILES.response), "POST runner-group 201": runnerGroup, "PATCH runner-group 200": runnerGroup },
      components: Object.fromEntries(
        ["network-configuration.json", "network-settings.json", "runner-groups-org.json"].map((file) => [
          file,
          readProjectSchema(file).schema,
        ]),
      ),
    };
  }

  it("finds no difference when the excerpts say what the files say", () => {
    expect(differences(referenceOfProjectFiles())).toEqual([]);
  });

  it("names every file that differs, every wrong component and every schema the excerpts lack, all at once", () => {
    const reference = referenceOfProjectFiles();
    const changedRequest = { ...reference.request["PATCH runner-group"], required: ["name", "visibility"] };
    reference.request["PATCH runner-group"] = changedRequest;
    reference.response["200 organization network-configuration"] = { $ref: "network-settings.json" };
    delete reference.response["200 enterprise network-settings"];
    reference.response["PATCH runner-group 200"] = { $ref: "runner-groups-enterprise.json" };
    expect(differences(reference)).toEqual([
      `runner-groups-update.request.json (request PATCH runner-group) differs from the excerpts:\n  expected ${JSON.stringify(changedRequest)}`,
      "response 200 organization network-configuration: the emulator uses network-configuration.json, the description refers to network-settings.json",
      "response 200 enterprise network-settings: not in the excerpts",
      "PATCH runner-group 200: the description no longer answers with runner-groups-org",
    ]);
  });

  it.each([
    ["no directory", [], "reference-dir: no directory given"],
    ["a directory that does not exist", ["/nonexistent/reference"], "reference-dir: /nonexistent/reference does not exist"],
  ])("refuses %s with exit 2, naming the argument", (_name, args, said) => {
    const written: string[] = [];
    expect(schemasCheck(args, (text, stream) => written.push(`${stream}: ${text}`))).toBe(2);
    expect(written).toEqual([
      `err: ${said}; usage: npm run schemas:check -- <reference-dir> (the directory with GitHub's OpenAPI excerpts)\n`,
    ]);
  });
});

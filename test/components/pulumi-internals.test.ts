/**
 * The Pulumi internals components/pulumi-internals*.ts relies on, checked against the installed
 * SDK: this fails when one of them changes shape, so an upgrade of @pulumi/pulumi shows what to
 * re-check. Also: no other source file reaches into `@pulumi/pulumi/runtime/`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { describe, expect, it } from "vitest";
import {
  CHECKED_PULUMI_VERSION,
  isConfigSecret,
  isRpcSecretValue,
  isUnknownValueError,
  monitorOf,
  READ_STACK_RESOURCE_OUTPUTS,
  readSavedResources,
  runErrorAsWritten,
  runningUnderMocks,
  SECRET_SIGNATURE,
  skipPromiseStackTraces,
} from "../../components/pulumi-internals";
import { DEFERRED_SDK_MODULES, deferSdkModulesUntilUsed } from "../../components/pulumi-internals-loading";

const REPO = resolve(__dirname, "..", "..");
const fromRepo = createRequire(join(REPO, "package.json"));

describe("the @pulumi/pulumi version the internals were checked against", () => {
  it("is the one installed and the one package.json pins, exactly", () => {
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const installed = (fromRepo("@pulumi/pulumi/package.json") as { version: string }).version;
    expect(manifest.dependencies["@pulumi/pulumi"]).toBe(CHECKED_PULUMI_VERSION);
    expect(installed).toBe(CHECKED_PULUMI_VERSION);
  });
});

describe("the internals, against the installed SDK", () => {
  it("@pulumi/pulumi/runtime/rpc: deserializeProperties and isRpcSecret are functions, and the secret signature has its known values", () => {
    expect(typeof rpc.deserializeProperties).toBe("function");
    expect(typeof rpc.isRpcSecret).toBe("function");
    expect(rpc.specialSigKey).toBe("4dabf18193072939515e22adb298388d");
    expect(rpc.specialSecretSig).toBe("1b47061264138c4ac30d75fd1eb44270");
    expect(SECRET_SIGNATURE).toEqual({ key: rpc.specialSigKey, value: rpc.specialSecretSig });
    // What isRpcSecretValue recognises is the signature SECRET_SIGNATURE copies.
    expect(isRpcSecretValue({ [SECRET_SIGNATURE.key]: SECRET_SIGNATURE.value, value: "x" })).toBe(true);
    expect(isRpcSecretValue({ value: "x" })).toBe(false);
  });

  it("@pulumi/pulumi/runtime/settings: getMonitor and the undeclared waitForRPCs are functions", async () => {
    expect(typeof settings.getMonitor).toBe("function");
    const waitForRPCs = (settings as unknown as { waitForRPCs?: unknown }).waitForRPCs;
    expect(typeof waitForRPCs).toBe("function");
    await expect((waitForRPCs as () => Promise<void>)()).resolves.toBeUndefined();
  });

  it("runtime.isConfigSecret (undeclared) is a function, so a plain-text token is refused rather than let through", () => {
    expect(typeof (pulumi.runtime as unknown as { isConfigSecret?: unknown }).isConfigSecret).toBe("function");
    expect(isConfigSecret("azure-github-runner-network:no-such-key")).toBe(false);
  });

  it("@pulumi/pulumi/runtime/closure/serializeClosure: serializeFunction is a replaceable export", () => {
    const closure = fromRepo("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: unknown };
    const original = closure.serializeFunction;
    expect(typeof original).toBe("function");
    const replacement = () => Promise.resolve({ text: "", exportName: "handler", containsSecrets: false });
    try {
      closure.serializeFunction = replacement;
      // The dynamic module reads it through the module object, so this is what it would call.
      expect((fromRepo("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: unknown }).serializeFunction).toBe(
        replacement,
      );
    } finally {
      closure.serializeFunction = original;
    }
    expect(closure.serializeFunction).toBe(original);
  });

  it("@pulumi/pulumi/runtime/debuggable: debuggablePromise keeps a stack on each promise, and skipPromiseStackTraces drops only that", async () => {
    type Tracked = Promise<unknown> & { _debugStackTrace?: string; _debugCtx?: string };
    const debuggable = fromRepo("@pulumi/pulumi/runtime/debuggable") as {
      debuggablePromise: (promise: Promise<unknown>, context: string) => Tracked;
      leakedPromises: () => [Set<Promise<unknown>>, string];
    };
    const original = debuggable.debuggablePromise;
    const tracked = (context: string) => {
      const promise: Tracked = Promise.resolve(context);
      return { promise, result: debuggable.debuggablePromise(promise, context) };
    };
    try {
      const before = tracked("with stack");
      expect(before.promise._debugStackTrace).toMatch(/^Error:? *\n\s+at /);
      await expect(before.result).resolves.toBe("with stack");

      process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
      skipPromiseStackTraces();
      expect(debuggable.debuggablePromise).toBe(original);
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;

      skipPromiseStackTraces();
      skipPromiseStackTraces();
      expect(debuggable.debuggablePromise).not.toBe(original);
      const limit = Error.stackTraceLimit;
      const after = tracked("without stack");
      expect(after.promise._debugStackTrace).toMatch(/^Error:? *$/);
      expect(after.promise._debugCtx).toBe("without stack");
      expect(Error.stackTraceLimit).toBe(limit);
      // Still tracked for the leak check until it settles.
      const pending: Tracked = new Promise(() => undefined);
      void debuggable.debuggablePromise(pending, "pending");
      await expect(after.result).resolves.toBe("without stack");
      const [leaks] = debuggable.leakedPromises();
      expect([...leaks]).toEqual([pending]);
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      debuggable.debuggablePromise = original;
    }
  });

  it("under setMocks, the monitor carries mocks and a registerResource method", async () => {
    const mocks: pulumi.runtime.Mocks = { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) };
    await pulumi.runtime.setMocks(mocks, "internals", "test", true);
    const monitor = monitorOf() as { mocks?: unknown; registerResource?: unknown } | undefined;
    expect(monitor).toBeDefined();
    expect(monitor!.mocks).toBeDefined();
    expect(typeof monitor!.registerResource).toBe("function");
    expect(monitor).toBe(pulumi.runtime.getMonitor());
    expect(runningUnderMocks()).toBe(true);
  });

  it("the serializer prefixes an error's message and rethrows the same error; runErrorAsWritten keeps its message", async () => {
    const serialized = (error: Error) =>
      rpc.serializeProperties("test", { gitHubId: Promise.reject(error) }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    const plain = new pulumi.RunError("the deployed subnet is too small");
    expect(await serialized(plain)).toBe(plain);
    expect(plain.message).toBe('error serializing property "gitHubId": the deployed subnet is too small');
    const asWritten = runErrorAsWritten("the deployed subnet is too small");
    expect(await serialized(asWritten)).toBe(asWritten);
    expect(asWritten.message).toBe("the deployed subnet is too small");
    expect(pulumi.RunError.isInstance(asWritten)).toBe(true);
  });

  it("the saved state: the answer to readStackResourceOutputs by URN, anything else an empty state", async () => {
    const answers: unknown[] = [
      {
        name: "organization/internals/test",
        outputs: {
          "urn:a": { type: "azure-native:network:Subnet", outputs: { addressPrefix: "10.40.0.0/24" } },
          "urn:b": { type: "azure-native:network:Subnet" },
          "urn:c": "not a resource",
        },
      },
      {},
      { outputs: "none" },
    ];
    const asked: unknown[] = [];
    const call = (args: pulumi.runtime.MockCallArgs) => {
      asked.push([args.token, args.inputs]);
      return answers.shift() as Record<string, unknown>;
    };
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: "", state: args.inputs }), call },
      "internals",
      "test",
      true,
      "organization",
    );
    expect([...(await readSavedResources())]).toEqual([
      ["urn:a", { type: "azure-native:network:Subnet", outputs: { addressPrefix: "10.40.0.0/24" } }],
    ]);
    expect(asked).toEqual([[READ_STACK_RESOURCE_OUTPUTS, { stackName: "organization/internals/test" }]]);
    expect((await readSavedResources()).size).toBe(0);
    expect((await readSavedResources()).size).toBe(0);
  });

  it("the monitor's RegisterResourceRequest has every accessor the offline engine reads", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated protobuf module has no typed export map entry
    const { RegisterResourceRequest } = require("@pulumi/pulumi/proto/resource_pb") as { RegisterResourceRequest: { prototype: object } };
    const accessors = [
      "getType",
      "getName",
      "getCustom",
      "getParent",
      "getObject",
      "getDependenciesList",
      "getDeletebeforereplace",
      "getIgnorechangesList",
      "getReplaceonchangesList",
      "getProtect",
      "getAdditionalsecretoutputsList",
      "getProvider",
    ];
    const prototype = RegisterResourceRequest.prototype as Record<string, unknown>;
    expect(accessors.filter((name) => typeof prototype[name] !== "function")).toEqual([]);
  });

  it("@pulumi/policy's proxy throws an UnknownValueError (by constructor name) for a value not known yet", () => {
    const proxy = createRequire(fromRepo.resolve("@pulumi/policy"))("./proxy") as {
      unknownCheckingProxy: <T>(value: T) => T;
      unknownStringValue: string;
    };
    const props = proxy.unknownCheckingProxy({ known: "eastus", subnetId: proxy.unknownStringValue });
    expect(props.known).toBe("eastus");
    let thrown: unknown;
    try {
      void props.subnetId;
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).constructor.name).toBe("UnknownValueError");
    expect(isUnknownValueError(thrown)).toBe(true);
    expect(isUnknownValueError(new Error("other"))).toBe(false);
  });
});

/** Runs a script in a Node process of its own (no test setup, no stand-ins unless the script makes them); its stdout as JSON. */
function inFreshProcess(script: string): unknown {
  const stdout = execFileSync(process.execPath, ["-e", script], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: "" }, encoding: "utf8" });
  return JSON.parse(stdout);
}

describe("the loading half (components/pulumi-internals-loading.ts), against the installed SDK", () => {
  it("each function stand-in offers exactly the functions the real module exports", () => {
    const functionShapes = Object.entries(DEFERRED_SDK_MODULES).filter(([, shape]) => shape !== "namespace");
    const real = inFreshProcess(`
      const fromSdk = require("node:module").createRequire(require.resolve("@pulumi/pulumi"));
      const found = {};
      for (const [specifier] of ${JSON.stringify(functionShapes)}) {
        const module = fromSdk(specifier);
        found[specifier] = Object.keys(module).filter((name) => typeof module[name] === "function").sort();
      }
      process.stdout.write(JSON.stringify(found));`);
    expect(real).toEqual(Object.fromEntries(functionShapes.map(([specifier, shape]) => [specifier, [...shape].sort()])));
  });

  it("the SDK reads them the way the stand-ins serve: the index copies the functions, the dynamic module looks the serializer up per use, and every file requiring a namespace wraps it in __importStar", () => {
    const sdkDir = dirname(fromRepo.resolve("@pulumi/pulumi"));
    const sdk = (path: string) => readFileSync(join(sdkDir, path), "utf8");
    expect(sdk("runtime/index.js")).toContain(
      'var serializeClosure_1 = require("./closure/serializeClosure");\nexports.serializeFunctionAsync = serializeClosure_1.serializeFunctionAsync;\nexports.serializeFunction = serializeClosure_1.serializeFunction;\nvar codePaths_1 = require("./closure/codePaths");\nexports.computeCodePaths = codePaths_1.computeCodePaths;',
    );
    expect(sdk("dynamic/index.js")).toContain('const sc = require("../runtime/closure/serializeClosure");');
    expect(sdk("index.js")).toContain("if (mod && mod.__esModule) return mod;");

    const files = (dir: string): string[] =>
      readdirSync(join(sdkDir, dir), { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : files(path);
        return entry.name.endsWith(".js") ? [path] : [];
      });
    const sdkFiles = files(".");
    const fromSdk = createRequire(join(sdkDir, "index.js"));
    for (const [specifier, shape] of Object.entries(DEFERRED_SDK_MODULES)) {
      if (shape !== "namespace") continue;
      const target = fromSdk.resolve(specifier);
      // Every require in the SDK that resolves to the module, as written, and how it is wrapped.
      const requires = sdkFiles.flatMap((file) =>
        [...sdk(file).matchAll(/(__importStar\()?require\((["'])([^"']+)\2\)/g)]
          .filter(([, , , name]) => {
            try {
              return createRequire(join(sdkDir, file)).resolve(name) === target;
            } catch {
              return false;
            }
          })
          .map(([, wrapped]) => ({ file, wrapped: wrapped !== undefined })),
      );
      expect(requires.length, `${specifier} is required by the SDK`).toBeGreaterThan(0);
      // The generated service clients, and the deferred modules themselves, read gRPC as they load: they load only when used.
      const eager = requires.filter(({ file, wrapped }) => !wrapped && !/^proto\/.*_grpc_pb\.js$/.test(file));
      expect(eager, `every SDK file requiring ${specifier} wraps it in __importStar`).toEqual([]);
    }
  });

  it("with the stand-ins, the SDK and azure-native load without TypeScript, Arborist, the Automation API or gRPC, and each loads on its first use", () => {
    const loaded = `() => {
      const files = Object.keys(require.cache);
      // gRPC by a module of its own: the stand-ins sit in the cache under the real modules' names.
      return ["/node_modules/typescript/", "/@npmcli/arborist/", "/automation/localWorkspace.js", "/@grpc/grpc-js/build/src/channel.js"]
        .map((part) => files.some((file) => file.includes(part)));
    }`;
    const result = inFreshProcess(`
      const loaded = ${loaded};
      const deferred = require("./dist/components/pulumi-internals-loading.js").deferSdkModulesUntilUsed();
      const pulumi = require("@pulumi/pulumi");
      require("@pulumi/azure-native/network");
      const before = loaded();
      const stack = pulumi.automation.fullyQualifiedStackName("org", "project", "dev");
      const afterAutomation = loaded();
      const fromSdk = require("node:module").createRequire(require.resolve("@pulumi/pulumi"));
      const monitorClient = typeof fromSdk("./proto/resource_grpc_pb.js").ResourceMonitorClient;
      pulumi.runtime.serializeFunction(() => 42).then((serialized) => {
        process.stdout.write(JSON.stringify({ deferred, before, stack, afterAutomation, monitorClient, serialized: serialized.text.includes("42"), after: loaded() }));
      });`);
    expect(result).toEqual({
      deferred: true,
      before: [false, false, false, false],
      stack: "org/project/dev",
      // The Automation API's own modules load gRPC as they load.
      afterAutomation: [false, false, true, true],
      monitorClient: "function",
      serialized: true,
      after: [true, false, true, true],
    });
  });

  it("changes nothing once the SDK is loaded", () => {
    expect(deferSdkModulesUntilUsed()).toBe(false);
  });
});

describe("the internals rule", () => {
  const SOURCE_DIRS = ["components", "cli", "infra", "policy"];
  const INTERNALS = /^components\/pulumi-internals[^/]*\.ts$/;

  function sources(dir: string): string[] {
    return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(path);
      return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
    });
  }

  it("scans the source folders", () => {
    const files = SOURCE_DIRS.flatMap(sources);
    expect(files).toContain("components/pulumi-internals.ts");
    expect(files).toContain("cli/offline-engine.ts");
    expect(files).toContain("policy/offline.ts");
  });

  it("no file outside components/pulumi-internals*.ts imports @pulumi/pulumi/runtime/ subpaths", () => {
    const runtimeImport = /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)["']@pulumi\/pulumi\/runtime\//;
    const offenders = SOURCE_DIRS.flatMap(sources)
      .filter((file) => !INTERNALS.test(file))
      .filter((file) => runtimeImport.test(readFileSync(join(REPO, file), "utf8")))
      .map((file) => relative(REPO, join(REPO, file)));
    expect(offenders).toEqual([]);
  });

  it("no file outside components/pulumi-internals*.ts reads the runtime internals it wraps", () => {
    // Member reads (runtime.getMonitor, settings.waitForRPCs, ...), the rpc constants, the error's name.
    const internalRead =
      /\.\s*(?:getMonitor|isConfigSecret|waitForRPCs)\b|\b(?:specialSigKey|specialSecretSig)\b|["']UnknownValueError["']/;
    const offenders = SOURCE_DIRS.flatMap(sources)
      .filter((file) => !INTERNALS.test(file))
      .filter((file) => internalRead.test(readFileSync(join(REPO, file), "utf8")));
    expect(offenders).toEqual([]);
  });
});

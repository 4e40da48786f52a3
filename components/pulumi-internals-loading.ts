/**
 * The loading half of components/pulumi-internals.ts: which of @pulumi/pulumi's internal modules
 * load when. It imports nothing but Node's module system, because it must run before the SDK
 * loads. The rule is the one stated in components/pulumi-internals.ts, and
 * test/components/pulumi-internals.test.ts checks what this relies on against the installed SDK.
 *
 * Why: the SDK's runtime index (`@pulumi/pulumi/runtime/index.js`, 3.270.0; 3.276.0 still does)
 * requires its closure serializer and code-path finder as it loads, and with them TypeScript's
 * compiler and npm's Arborist with about 45 more packages: about 0.4 s and 60 MiB of every
 * process that loads the SDK, although only serializing a function (a dynamic provider, a
 * callback function) uses them. Likewise gRPC (`@grpc/grpc-js` and the SDK's generated service
 * clients, which build their client classes as they load): about 45 ms of a plan's start,
 * although only a connection to a real engine or provider uses it. No narrower entry point avoids
 * it: every SDK module, and every azure-native module, loads the SDK's index. So these modules
 * are given stand-ins that load the real module on first use; the Automation API, which nothing
 * under the offline plan's mocks uses, likewise.
 */
import Module, { createRequire } from "node:module";

const requireHere = createRequire(__filename);

/**
 * The deferred modules, as the SDK's own files name them, and how the SDK reads them as it loads;
 * checked against @pulumi/pulumi 3.270.0:
 * - the closure serializer and code-path finder: the runtime index copies the listed functions
 *   (and the dynamic module reads `serializeFunction` from the module object on each use), so the
 *   stand-in has those functions;
 * - "namespace": every SDK file that requires the module wraps it in tsc's `__importStar`, which
 *   keeps a module marked `__esModule` as it is, and reads its members when it uses them; the
 *   stand-in is marked so, and loads the module on the first member read. These are the
 *   Automation API (with execa, about 35 ms), gRPC, and the generated service clients of the
 *   modules the SDK's index loads (each calls gRPC as it loads).
 */
export const DEFERRED_SDK_MODULES = {
  "@pulumi/pulumi/runtime/closure/serializeClosure": ["serializeFunction", "serializeFunctionAsync"],
  "@pulumi/pulumi/runtime/closure/codePaths": ["computeCodePaths", "findWorkspaceRoot", "packageArchivePath"],
  "@pulumi/pulumi/automation/index.js": "namespace",
  "@grpc/grpc-js": "namespace",
  "@pulumi/pulumi/proto/callback_grpc_pb.js": "namespace",
  "@pulumi/pulumi/proto/engine_grpc_pb.js": "namespace",
  "@pulumi/pulumi/proto/resource_grpc_pb.js": "namespace",
  "@pulumi/pulumi/proto/provider_grpc_pb.js": "namespace",
} as const satisfies Record<string, readonly string[] | "namespace">;

/** A stand-in for the module at `path` that loads it on first use; see DEFERRED_SDK_MODULES. */
function deferredModule(path: string, shape: readonly string[] | "namespace"): Module {
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  let real: Record<string | symbol, unknown> | undefined;
  const load = () => {
    if (!real) {
      // The real module loads under its own name, then the stand-in takes the cache entry back:
      // code that replaced one of its exports (the offline engine does) stays the code called.
      delete requireHere.cache[path];
      try {
        real = requireHere(path) as Record<string | symbol, unknown>;
      } finally {
        requireHere.cache[path] = standIn;
      }
    }
    return real;
  };
  standIn.exports =
    shape === "namespace"
      ? new Proxy(
          {},
          {
            get: (_, key) => (key === "__esModule" ? true : load()[key]),
            has: (_, key) => key in load(),
            ownKeys: () => Reflect.ownKeys(load()),
            getOwnPropertyDescriptor: (_, key) => {
              const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
              return descriptor && { ...descriptor, configurable: true };
            },
          },
        )
      : Object.fromEntries(shape.map((name) => [name, (...args: unknown[]) => (load()[name] as (...a: unknown[]) => unknown)(...args)]));
  return standIn;
}

/**
 * Puts the stand-ins in Node's module cache, so the SDK loads without TypeScript and Arborist
 * until something serializes a function, and without gRPC until something connects. Call before anything loads @pulumi/pulumi (the SDK
 * this module resolves); returns false, and changes nothing, when the SDK is loaded already.
 */
export function deferSdkModulesUntilUsed(): boolean {
  const runtimeIndex = requireHere.resolve("@pulumi/pulumi/runtime/index.js");
  if (requireHere.cache[runtimeIndex]) return false;
  // Resolved as the SDK resolves them: its own dependencies may sit in its own node_modules.
  const fromSdk = createRequire(requireHere.resolve("@pulumi/pulumi"));
  for (const [specifier, shape] of Object.entries(DEFERRED_SDK_MODULES)) {
    const path = fromSdk.resolve(specifier);
    requireHere.cache[path] ??= deferredModule(path, shape);
  }
  return true;
}

/**
 * Two things azure-native does that `@pulumi/pulumi/provider` cannot express: reading the
 * provider configuration the engine sends in Configure (the framework answers Configure without
 * passing it on), and answering Diff with the changed keys and a detailed diff (the framework
 * sends only "changes" and "replaces"). Both handlers are swapped on the service implementation
 * the framework registers with gRPC; everything else stays the framework's.
 */
import { dirname } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type { InputDiff, PropertyChange } from "./diff";
import type { Inputs } from "./resource-types";

export interface ProviderServiceHooks {
  /** The provider configuration, keys without the `azure-native:` prefix. */
  configure(config: Record<string, unknown>): void;
  diff(urn: string, olds: Inputs, news: Inputs): InputDiff;
}

/** The gRPC module the framework itself loads (the one its server registers services with). */
function frameworkGrpc(): typeof grpcTypes {
  const pulumiRoot = dirname(require.resolve("@pulumi/pulumi/package.json"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path resolved at run time: the framework's own copy
  return require(require.resolve("@grpc/grpc-js", { paths: [pulumiRoot] })) as typeof grpcTypes;
}

const KIND: Record<PropertyChange, [providerProto.PropertyDiff.Kind, providerProto.PropertyDiff.Kind]> = {
  add: [providerProto.PropertyDiff.Kind.ADD, providerProto.PropertyDiff.Kind.ADD_REPLACE],
  delete: [providerProto.PropertyDiff.Kind.DELETE, providerProto.PropertyDiff.Kind.DELETE_REPLACE],
  update: [providerProto.PropertyDiff.Kind.UPDATE, providerProto.PropertyDiff.Kind.UPDATE_REPLACE],
};

function diffResponse(diff: InputDiff): providerProto.DiffResponse {
  const response = new providerProto.DiffResponse();
  response.setChanges(
    diff.changed.length ? providerProto.DiffResponse.DiffChanges.DIFF_SOME : providerProto.DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setDiffsList(diff.changed);
  response.setReplacesList(diff.replaces);
  response.setHasdetaileddiff(true);
  const detailed = response.getDetaileddiffMap();
  for (const [path, { change, replace }] of Object.entries(diff.detailed)) {
    const property = new providerProto.PropertyDiff();
    property.setKind(KIND[change][replace ? 1 : 0]);
    property.setInputdiff(true);
    detailed.set(path, property);
  }
  return response;
}

/** Configure's values: the structured `args` when the engine sends them, else the `pkg:config:key` variables. */
function configFrom(request: providerProto.ConfigureRequest): Record<string, unknown> {
  const args = request.getArgs()?.toJavaScript();
  if (args && Object.keys(args).length) return args;
  const config: Record<string, unknown> = {};
  request.getVariablesMap().forEach((value, key) => {
    config[key.replace(/^azure-native:(config:)?/, "")] = value;
  });
  return config;
}

export function hookProviderService(hooks: ProviderServiceHooks): void {
  const grpc = frameworkGrpc();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called as addService.call(this, ...) below
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (this: grpcTypes.Server, service, implementation) {
    if (service !== ResourceProviderService) return addService.call(this, service, implementation);
    // The framework's handlers still run with the framework's server as `this`.
    const hooked = Object.create(implementation) as grpcTypes.UntypedServiceImplementation;
    hooked.configure = (
      call: grpcTypes.ServerUnaryCall<providerProto.ConfigureRequest, unknown>,
      callback: grpcTypes.sendUnaryData<unknown>,
    ) => {
      hooks.configure(configFrom(call.request));
      (implementation.configure as grpcTypes.handleUnaryCall<providerProto.ConfigureRequest, unknown>).call(implementation, call, callback);
    };
    hooked.diff = (
      call: grpcTypes.ServerUnaryCall<providerProto.DiffRequest, providerProto.DiffResponse>,
      callback: grpcTypes.sendUnaryData<providerProto.DiffResponse>,
    ) => {
      try {
        const request = call.request;
        const diff = hooks.diff(request.getUrn(), request.getOlds()?.toJavaScript() ?? {}, request.getNews()?.toJavaScript() ?? {});
        callback(null, diffResponse(diff));
      } catch (error) {
        callback(error as Error, null);
      }
    };
    return addService.call(this, service, hooked);
  };
}

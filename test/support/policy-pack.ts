/**
 * A policy pack as Pulumi runs it: Pulumi's own launcher (@pulumi/pulumi/cmd/run-policy-pack,
 * which the nodejs language host starts for `--policy-pack`) loads the pack folder in a child
 * process, with the folder as working directory, and its gRPC server prints its port; the client
 * talks to it the way the engine does. `sdkFrom` is where @pulumi/pulumi is resolved (the
 * launcher, the gRPC stubs and the protobuf runtime they were built with).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

type Callback = (error: Error | null, response: never) => void;

export interface RunningPolicyPack {
  call<T>(method: string, request: unknown): Promise<T>;
  /** Pulumi's generated message classes (analyzer_pb) and protobuf's Struct and Empty. */
  pb: Record<string, new () => Record<string, (...args: unknown[]) => unknown>> & { EnforcementLevel: Record<string, number> };
  Struct: { fromJavaScript(value: unknown): unknown };
  Empty: new () => unknown;
  stderr(): string;
  stop(): void;
}

export async function startPolicyPack(folder: string, sdkFrom: string): Promise<RunningPolicyPack> {
  const fromProject = createRequire(join(sdkFrom, "package.json"));
  const fromPulumi = createRequire(fromProject.resolve("@pulumi/pulumi/proto/analyzer_pb"));
  const grpc = fromPulumi("@grpc/grpc-js");
  const rpc = fromPulumi("./analyzer_grpc_pb");
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  // Arguments as the language host passes them: the engine's address, then the pack folder.
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [fromProject.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", folder],
    { cwd: folder, env },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const port = await new Promise<number>((done, fail) => {
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) done(Number(match[1]));
    });
    child.on("exit", (code) => fail(new Error(`the pack exited with ${code} before serving:\n${stderr}`)));
  });
  const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as Record<
    string,
    (request: unknown, callback: Callback) => void
  > & { close(): void };
  return {
    call: <T>(method: string, request: unknown) =>
      new Promise<T>((done, fail) => client[method](request, (error, response) => (error ? fail(error) : done(response)))),
    pb: fromPulumi("./analyzer_pb"),
    Struct: fromPulumi("google-protobuf/google/protobuf/struct_pb").Struct,
    Empty: fromPulumi("google-protobuf/google/protobuf/empty_pb").Empty,
    stderr: () => stderr,
    stop: () => {
      client.close();
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

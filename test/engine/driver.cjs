// Runs one Pulumi operation through the Automation API of the @pulumi/pulumi installed in the
// program's own project (so the program and the runtime are one copy, as under `pulumi up`), with
// the program as an inline program: the Node.js language host is not published as a Go module,
// so the engine runs the program through the Automation API's own language server (`--client`).
// Reads a JSON spec on stdin, prints a JSON result on stdout.
const { createRequire } = require("node:module");
const path = require("node:path");

async function main() {
  const spec = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const fromProject = createRequire(path.join(spec.workDir, "package.json"));
  const { LocalWorkspace, PulumiCommand } = fromProject("@pulumi/pulumi/automation");
  const program = () => Promise.resolve({ ...fromProject(spec.program) });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(path.dirname(spec.pulumi)) });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: spec.stack, projectName: spec.project, program },
    { workDir: spec.workDir, pulumiCommand, envVars: spec.env, secretsProvider: "passphrase" },
  );
  let stdout = "";
  const onOutput = (text) => (stdout += text);
  const common = { onOutput, color: "never", ...(spec.op.startsWith("set-config") ? {} : spec.options) };
  const done = (extra) => ({ stdout, ...extra });
  switch (spec.op) {
    case "init":
      return done({});
    case "set-config":
      // Values as `pulumi config set [--secret]` stores them; `options` is { key: { value, secret } }.
      await stack.setAllConfig(spec.options);
      return done({});
    case "set-config-path":
      // The same with keys as paths (`pulumi config set --path`), e.g. a secret inside a structured value.
      await stack.setAllConfig(spec.options, true);
      return done({});
    case "preview": {
      const result = await stack.preview(common);
      return done({ changeSummary: result.changeSummary });
    }
    case "up": {
      const result = await stack.up(common);
      return done({ changeSummary: result.summary.resourceChanges, outputs: result.outputs });
    }
    case "refresh": {
      const result = await stack.refresh(common);
      return done({ changeSummary: result.summary.resourceChanges });
    }
    case "destroy": {
      const result = await stack.destroy(common);
      return done({ changeSummary: result.summary.resourceChanges });
    }
    case "export":
      return done({ deployment: await stack.exportStack() });
    case "remove":
      await stack.workspace.removeStack(spec.stack, { force: true });
      return done({});
    default:
      throw new Error(`unknown operation ${spec.op}`);
  }
}

main().then(
  (result) => process.stdout.write(JSON.stringify({ ok: true, ...result })),
  (error) =>
    process.stdout.write(
      JSON.stringify({
        ok: false,
        message: String((error && error.message) || error),
        stdout: error && error.commandResult ? error.commandResult.stdout : "",
        stderr: error && error.commandResult ? error.commandResult.stderr : "",
      }),
    ),
);

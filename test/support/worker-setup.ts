/**
 * Vitest's setup in every test process, before the test file's imports: what the CLI does at its
 * start (cli/compile-cache.ts, cli/plan.ts), so a test process loads what it uses as the plan
 * does. Node's compile cache for the packages loaded natively (Pulumi's SDKs, zod); Pulumi's
 * closure serializer and Automation API on first use (components/pulumi-internals-loading.ts).
 */
import { enableCompileCache } from "node:module";
import { deferSdkModulesUntilUsed } from "../../components/pulumi-internals-loading";

enableCompileCache?.();
deferSdkModulesUntilUsed();

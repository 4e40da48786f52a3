/**
 * Imported first by the CLI's entry: Node keeps the compiled code of every module loaded after
 * this in its on-disk compile cache (`module.enableCompileCache`, Node 22.1 and later), which
 * spares about a quarter of the time a plan spends loading modules (0.1 s of CPU on the 2-core
 * development machine; ARCHITECTURE.md "The offline plan's start"). The cache sits in Node's default
 * folder (NODE_COMPILE_CACHE, else the system's temp folder) and NODE_DISABLE_COMPILE_CACHE=1
 * turns it off; a folder that cannot be written only means no cache.
 */
import { enableCompileCache } from "node:module";

enableCompileCache?.();

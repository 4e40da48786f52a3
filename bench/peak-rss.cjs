// Preloaded (NODE_OPTIONS=--require) into every Node process of a benchmarked command, npm's own
// included: each writes its peak resident set size (bytes) to BENCH_RSS_DIR/<pid> as it exits.
"use strict";
process.on("exit", () => {
  const dir = process.env.BENCH_RSS_DIR;
  if (dir)
    require("node:fs").writeFileSync(require("node:path").join(dir, String(process.pid)), String(process.resourceUsage().maxRSS * 1024));
});

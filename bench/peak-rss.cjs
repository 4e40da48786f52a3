// Preloaded into each benchmarked process: reports its peak resident set size on exit.
process.on("exit", () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) require("node:fs").writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
});

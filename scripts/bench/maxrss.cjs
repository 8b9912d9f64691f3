// Preloaded by scripts/bench-gen.ts (`node --require`): writes the process's peak resident set
// size in KiB to the file ABIC_BENCH_MAXRSS names, and its CPU time (user + system) in ms to the
// same name with `.cpu` appended, as the process exits.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  const usage = process.resourceUsage();
  writeFileSync(process.env.ABIC_BENCH_MAXRSS, String(usage.maxRSS));
  writeFileSync(`${process.env.ABIC_BENCH_MAXRSS}.cpu`, String((usage.userCPUTime + usage.systemCPUTime) / 1000));
});

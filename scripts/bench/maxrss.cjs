// Preloaded by scripts/bench-gen.ts (`node --require`): writes the process's peak resident set
// size in KiB to the file ABIC_BENCH_MAXRSS names, as the process exits.
const { writeFileSync } = require("node:fs");
process.on("exit", () => writeFileSync(process.env.ABIC_BENCH_MAXRSS, String(process.resourceUsage().maxRSS)));

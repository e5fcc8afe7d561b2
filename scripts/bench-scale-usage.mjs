// Preloaded into the harness process by scripts/bench-scale.ts (node --import): at exit it writes the
// process's own resource usage (CPU seconds, peak RSS; not its children's, so k6 is not counted).
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_SCALE_USAGE_FILE;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(process.resourceUsage())));

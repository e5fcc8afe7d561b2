// `npm run bench:interrupts [-- --rounds N]`: the interrupt matrix (SIGINT, SIGTERM, SIGKILL × set-up,
// replay, judging on the tiny-interrupt fixture) N times (default 20), printing what each case left
// and the total. Starts containers and k6: run it under the Docker lock where one is used.
import { EXPECTED_CODE, leftoverCount, PHASES, runInterruptCase, SIGNALS } from '../harness/run/testing/interrupt-matrix.ts';

const arg = process.argv.indexOf('--rounds');
const rounds = arg > 0 ? Number(process.argv[arg + 1]) : 20;
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`--rounds ${process.argv[arg + 1]}: expected a positive integer`);
  process.exit(2);
}

let dirtyRounds = 0;
let wrongExits = 0;
let leftTotal = 0;
const started = Date.now();
for (let round = 1; round <= rounds; round++) {
  let roundLeft = 0;
  for (const phase of PHASES) {
    for (const signal of SIGNALS) {
      const r = await runInterruptCase(signal, phase).catch((err: Error) => err);
      if (r instanceof Error) {
        wrongExits++;
        console.log(`round ${round} ${signal.padEnd(7)} ${phase.padEnd(6)} ERROR ${r.message.split('\n')[0]}`);
        continue;
      }
      const n = leftoverCount(r.leftovers);
      const exitOk = signal === 'SIGKILL' ? r.next !== undefined : r.run.code === EXPECTED_CODE[signal];
      if (!exitOk) wrongExits++;
      roundLeft += n;
      const detail = n ? ` ${JSON.stringify(r.leftovers)}` : '';
      const exit = signal === 'SIGKILL' ? `killed, next \`${r.next!.args[0]}\` exit ${r.next!.code}` : `exit ${r.run.code}`;
      console.log(`round ${round} ${signal.padEnd(7)} ${phase.padEnd(6)} ${exit}: leftovers ${n}${detail}`);
    }
  }
  if (roundLeft > 0) dirtyRounds++;
  leftTotal += roundLeft;
  console.log(`round ${round}: leftovers ${roundLeft} (${((Date.now() - started) / 1000).toFixed(0)} s so far)`);
}
console.log(`leftovers found: ${dirtyRounds} of ${rounds} rounds (${leftTotal} leftovers in all, ${rounds * PHASES.length * SIGNALS.length} interrupts); wrong exit codes or errors: ${wrongExits}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = dirtyRounds || wrongExits ? 1 : 0;

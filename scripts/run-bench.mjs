// `npm run bench`: runs the compiled benchmarks one after another and prints their
// output (each prints a human summary and one JSON line). It does not build: run
// `npm run build` first. Benchmarks are never part of `npm test`.
//
//   node scripts/run-bench.mjs [store|api|start|scheduler|deployment|fieldmanager ...] [-- flags passed to every bench]
//
// With no names it runs store, api and start (about 3.5 min). scheduler (upstream's
// SchedulingBasic size, basic then topology-spread, each in its own process: about 4 min)
// deployment (1000 replicas on 100 simulated nodes: about 1.5 min) and fieldmanager
// (managedFields cost per write, in-process: under a minute) run only when named.
// e.g. `npm run bench -- api` runs only the API benchmark. Flags for one benchmark are
// best given by running it directly: `node dist/bench/start.js --idle-seconds 5`.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT = ['store', 'api', 'start'];
// Each name is one or more runs: [file, its own args]. Per-process runs keep each run's peak RSS its own.
const SCHED = ['--mode', 'api', '--nodes', '5000', '--init-pods', '1000', '--pods', '10000'];
const RUNS = {
  store: [['store', []]],
  api: [['api', []]],
  start: [['start', []]],
  scheduler: [
    ['scheduler', SCHED],
    ['scheduler', [...SCHED, '--spread']],
  ],
  deployment: [['deployment', []]],
  fieldmanager: [['fieldmanager', []]],
};
const ALL = Object.keys(RUNS);
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const names = dash === -1 ? argv : argv.slice(0, dash);
const passThrough = dash === -1 ? [] : argv.slice(dash + 1);
for (const n of names) {
  if (!ALL.includes(n)) {
    console.error(`run-bench: unknown benchmark "${n}" (want ${ALL.join(', ')})`);
    process.exit(2);
  }
}
const selected = names.length > 0 ? names : DEFAULT;

let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // Pass the signal to the one benchmark we started (by PID); it stops its own children.
    if (current !== undefined && current.exitCode === null) current.kill(sig);
    else process.exit(130);
  });
}

let failed = 0;
for (const [name, ownArgs] of selected.flatMap((n) => RUNS[n])) {
  const args = [...ownArgs, ...passThrough];
  const file = join(root, 'dist', 'bench', `${name}.js`);
  if (!existsSync(file)) {
    console.error(`run-bench: ${file} is missing; run "npm run build" first`);
    process.exit(1);
  }
  console.log(`\n## bench/${name}.ts  (node dist/bench/${name}.js${args.length ? ' ' + args.join(' ') : ''})\n`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    current = spawn(process.execPath, ['--enable-source-maps', file, ...args], { cwd: root, stdio: 'inherit' });
    current.on('exit', (c, s) => resolve(c ?? (s ? 128 : 1)));
    current.on('error', (e) => {
      console.error(`run-bench: ${name}: ${e.message}`);
      resolve(1);
    });
  });
  current = undefined;
  console.log(`\n(${name}: exit ${code}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (code !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);

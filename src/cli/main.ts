/**
 * The kubelite command: parse flags, validate them into options, run. Thin on
 * purpose; the work lives in the packages below.
 */
import { parseArgs } from 'node:util';
import { UP_FLAGS, validateUpOptions, up, defaultDataDir } from './up.js';
import { controlRequest } from './control.js';

type FlagSpec = Record<string, { type: 'string'; help: string; default: () => string }>;

function usage(verb: string, flags: FlagSpec, summary: string): string {
  const lines = [`Usage: kubelite ${verb} [flags]`, '', summary, '', 'Flags:'];
  for (const [name, f] of Object.entries(flags)) lines.push(`  --${name.padEnd(28)} ${f.help} (default "${f.default()}")`);
  lines.push(`  --${'help'.padEnd(28)} show this help`);
  return lines.join('\n');
}

const TOP = `kubelite: a lightweight Kubernetes-compatible cluster

Usage: kubelite <command> [flags]

Commands:
  up        run a whole cluster (API server, store, scheduler, controllers, nodes) in this process
  node      stop|start|list the node agents of a running "kubelite up" (as switching a machine off and on)
  version   print the version
  help      show this help

Run "kubelite <command> --help" for a command's flags.`;

function parseFlags(argv: string[], flags: FlagSpec): Record<string, string> | 'help' {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const name of Object.keys(flags)) options[name] = { type: 'string' };
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  if (values.help === true) return 'help';
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(flags)) {
    const v = values[name];
    out[name] = typeof v === 'string' ? v : f.default();
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(TOP);
      return 0;
    case 'version':
      console.log('kubelite 0.1.0 (Kubernetes v1.32 API)');
      return 0;
    case 'up': {
      const parsed = parseFlags(rest, UP_FLAGS as unknown as FlagSpec);
      if (parsed === 'help') {
        console.log(usage('up', UP_FLAGS as unknown as FlagSpec, 'Runs the control plane in one process on an embedded store. First start creates the cluster CA and DATA_DIR/admin.conf; later starts resume the same cluster.'));
        return 0;
      }
      const opts = validateUpOptions(parsed);
      const cluster = await up(opts);
      await new Promise<void>((resolve) => {
        const stop = (sig: string): void => {
          console.log(`kubelite: ${sig} received, shutting down`);
          resolve();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      await cluster.stop();
      return 0;
    }
    case 'node': {
      const [action, ...args] = rest;
      const flags: FlagSpec = { 'data-dir': { type: 'string', help: 'data dir of the running "kubelite up"', default: () => defaultDataDir() } };
      const { values, positionals } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
      if (values.help === true || action === undefined || action === '--help') {
        console.log(usage('node stop|start NAME | node list', flags, 'Stops or resumes one node agent of a running "kubelite up" on the same data dir: a stopped node sends no heartbeats, as a machine switched off.'));
        return action === undefined ? 2 : 0;
      }
      const dataDir = values['data-dir'] ?? defaultDataDir();
      if (action === 'list') {
        const nodes = (await controlRequest(dataDir, 'GET', '/nodes')) as { name: string; running: boolean }[];
        for (const n of nodes) console.log(`${n.name}\t${n.running ? 'running' : 'stopped'}`);
        return 0;
      }
      if (action !== 'stop' && action !== 'start') throw new Error(`unknown node action "${action}" (want stop, start or list)`);
      const name = positionals[0];
      if (name === undefined) throw new Error(`kubelite node ${action}: a node name is required`);
      await controlRequest(dataDir, 'POST', `/nodes/${encodeURIComponent(name)}/${action}`);
      console.log(`node/${name} ${action === 'stop' ? 'stopped' : 'started'}`);
      return 0;
    }
    default:
      console.error(`kubelite: unknown command "${verb}"\n\n${TOP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`kubelite: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

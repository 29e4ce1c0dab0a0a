/**
 * Child process for the kill -9 durability test (crash.test.ts): writes to a SqliteStore
 * in a loop and prints one line per acknowledged write, so the parent knows exactly
 * which writes the store promised. Not part of the product.
 *
 *   node crashwriter.js <db path> <FULL|NORMAL> [writers]
 *
 * Lines: "ready <rev>", then "ack <revision> <op> <key> <value>" (value "-" for delete).
 * With several writers (default 4) the writes of different writers share group commits;
 * each writer has its own keys, so none is ever refused.
 */
import { SqliteStore } from './sqlite.js';

const [path, sync, writersArg] = process.argv.slice(2);
const writers = Number(writersArg ?? '4');
if (path === undefined || (sync !== 'FULL' && sync !== 'NORMAL') || !Number.isSafeInteger(writers) || writers < 1) {
  process.stderr.write('usage: crashwriter <db path> <FULL|NORMAL> [writers]\n');
  process.exit(2);
}
const store = new SqliteStore({ path, synchronous: sync });
const tag = `${process.pid}`;
const out = (line: string): void => {
  // stdout to a pipe is synchronous on Linux: once this returns, the parent can read it.
  process.stdout.write(line + '\n');
};
out(`ready ${await store.currentRevision()}`);
// Bounded even if the parent never kills us.
const deadline = Date.now() + 30_000;

async function writer(w: number): Promise<void> {
  const live = new Map<string, number>();
  for (let i = 0; Date.now() < deadline; i++) {
    const key = `/crash/${tag}/w${w}/${i % 50}`;
    const cur = live.get(key);
    const value = `${tag}-${w}-${i}`;
    if (cur === undefined) {
      const r = await store.create(key, value);
      live.set(key, r.revision);
      out(`ack ${r.revision} create ${key} ${value}`);
    } else if (i % 7 === 0) {
      const r = await store.delete(key, cur);
      live.delete(key);
      out(`ack ${r.revision} delete ${key} -`);
    } else {
      const r = await store.update(key, value, cur);
      live.set(key, r.revision);
      out(`ack ${r.revision} update ${key} ${value}`);
    }
    // Give the event loop a turn now and then, as a server would.
    if (i % 64 === 0) await new Promise((r) => setImmediate(r));
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
await store.close();

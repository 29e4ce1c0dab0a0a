/**
 * Child process for the kill -9 durability test (crash.test.ts): writes to a SqliteStore
 * in a loop and prints one line per acknowledged write, so the parent knows exactly
 * which writes the store promised. Not part of the product.
 *
 *   node crashwriter.js <db path> <FULL|NORMAL>
 *
 * Lines: "ready <rev>", then "ack <revision> <op> <key> <value>" (value "-" for delete).
 */
import { SqliteStore } from './sqlite.js';

const [path, sync] = process.argv.slice(2);
if (path === undefined || (sync !== 'FULL' && sync !== 'NORMAL')) {
  process.stderr.write('usage: crashwriter <db path> <FULL|NORMAL>\n');
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
const live = new Map<string, number>();
for (let i = 0; Date.now() < deadline; i++) {
  const key = `/crash/${tag}/${i % 50}`;
  const cur = live.get(key);
  const value = `${tag}-${i}`;
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
await store.close();

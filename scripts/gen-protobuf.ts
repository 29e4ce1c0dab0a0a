/**
 * Generates the protobuf schema the API server decodes request bodies with
 * (Content-Type: application/vnd.kubernetes.protobuf), from a kubectl binary:
 *
 *   node dist/scripts/gen-protobuf.js [--kubectl <path>] [--out <file>]   (run by `npm run build`)
 *
 * The binary is $KUBECTL, else /usr/bin/kubectl. It carries, registered by
 * gogo-protobuf, the gzipped FileDescriptorProto of every k8s.io/api and apimachinery
 * generated.proto, with the gogoproto options that say which Go fields are pointers;
 * and the Go struct tags of the API types, which say which fields are embedded
 * (`json:",inline"`) and the few JSON names that are not the proto names. See
 * src/apimachinery/protobuf/{extract,schema}.ts.
 *
 * Writes <repo>/generated/protobuf/schema.json (one message per line, sorted, so the
 * same binary always gives the same bytes). Without a kubectl binary it writes nothing
 * and warns: the server then answers protobuf bodies with 415.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFileDescriptors, readGoStructTypes, scanGoTags } from '../src/apimachinery/protobuf/extract.js';
import { SCHEMA_VERSION, buildSchemaMessages, type ProtobufSchema } from '../src/apimachinery/protobuf/schema.js';

export const DEFAULT_KUBECTL = '/usr/bin/kubectl';

export interface GenerateResult {
  schema: ProtobufSchema;
  inline: string[];
  renamed: string[];
  warnings: string[];
  /** Messages matched to their Go struct / described only by loose tags. */
  matched: number;
  unmatched: string[];
  timings: { readMs: number; descriptorsMs: number; tagsMs: number; buildMs: number };
}

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/** Builds the schema from the bytes of a kubectl binary; `path` is only recorded. */
export function generateSchema(binary: Uint8Array, path: string): GenerateResult {
  const t0 = process.hrtime.bigint();
  const found = extractFileDescriptors(binary);
  const descriptorsMs = ms(t0);
  const t1 = process.hrtime.bigint();
  const structs = readGoStructTypes(binary);
  const tags = scanGoTags(binary);
  const tagsMs = ms(t1);
  const t2 = process.hrtime.bigint();
  const files = found.map((f) => f.descriptor).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const built = buildSchemaMessages(files, tags, structs);
  const warnings = [...built.warnings];
  if (files.length === 0) warnings.push(`${path}: no Kubernetes generated.proto descriptors found`);
  if (structs === undefined) {
    warnings.push(`${path}: no Go type data read (not a Go ELF binary?); omitempty unknown, zero scalars are dropped`);
  }
  if (tags.length === 0) warnings.push(`${path}: no Go struct tags found; JSON names fall back to proto names`);
  if (structs !== undefined && built.unmatched.length > 0) {
    warnings.push(
      `${built.unmatched.length} messages without their Go struct (omitempty unknown, zero scalars dropped): ${built.unmatched.slice(0, 5).join(', ')}${built.unmatched.length > 5 ? ', ...' : ''}`,
    );
  }
  const schema: ProtobufSchema = {
    version: SCHEMA_VERSION,
    source: { path, bytes: binary.length, sha256: createHash('sha256').update(binary).digest('hex') },
    files: files.map((f) => f.name),
    messages: built.messages,
  };
  return {
    schema,
    inline: built.inline,
    renamed: built.renamed,
    matched: built.matched,
    unmatched: built.unmatched,
    warnings,
    timings: { readMs: 0, descriptorsMs, tagsMs, buildMs: ms(t2) },
  };
}

/** The bytes written: small top-level keys first, then one message per line. */
export function serializeSchema(schema: ProtobufSchema): string {
  const lines = Object.keys(schema.messages)
    .sort()
    .map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(schema.messages[k])}`);
  return (
    '{\n' +
    `  "version": ${JSON.stringify(schema.version)},\n` +
    `  "source": ${JSON.stringify(schema.source)},\n` +
    `  "files": ${JSON.stringify(schema.files)},\n` +
    `  "messages": {\n${lines.join(',\n')}\n  }\n` +
    '}\n'
  );
}

/** The nearest ancestor of `start` holding package.json. */
export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`gen-protobuf: no package.json above ${start}`);
    dir = up;
  }
}

function argValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

function main(argv: string[]): void {
  const started = process.hrtime.bigint();
  const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const outArg = argValue(argv, '--out');
  const out = outArg !== undefined ? resolve(outArg) : join(root, 'generated', 'protobuf', 'schema.json');
  const kubectl = argValue(argv, '--kubectl') ?? (process.env['KUBECTL'] || DEFAULT_KUBECTL);
  if (!existsSync(kubectl)) {
    console.warn(`gen-protobuf: warning: no kubectl binary at ${kubectl} (set KUBECTL); ${relative(root, out)} not written, protobuf request bodies will get 415`);
    return;
  }
  const t0 = process.hrtime.bigint();
  const binary = readFileSync(kubectl);
  const readMs = ms(t0);
  const result = generateSchema(binary, realpathSync(kubectl));
  result.timings.readMs = readMs;
  for (const w of result.warnings) console.warn(`gen-protobuf: warning: ${w}`);
  if (result.schema.files.length === 0) {
    console.warn(`gen-protobuf: warning: ${relative(root, out)} not written`);
    return;
  }
  const text = serializeSchema(result.schema);
  mkdirSync(dirname(out), { recursive: true });
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  if (previous !== text) writeFileSync(out, text);
  const t = result.timings;
  console.log(
    `gen-protobuf: ${result.schema.files.length} files, ${Object.keys(result.schema.messages).length} messages ` +
      `(${result.matched} matched to Go structs, ${result.unmatched.length} not; ${result.inline.length} inline fields, ${result.renamed.length} renamed) from ${result.schema.source.path}, ` +
      `${text.length} bytes -> ${relative(root, out)}${previous === text ? ' (unchanged)' : ''} in ${ms(started).toFixed(0)} ms ` +
      `(read ${t.readMs.toFixed(0)}, descriptors ${t.descriptorsMs.toFixed(0)}, Go types ${t.tagsMs.toFixed(0)}, build ${t.buildMs.toFixed(0)})`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}

/**
 * The schema the server decodes protobuf bodies with: generated/protobuf/schema.json,
 * written by scripts/gen-protobuf.ts at build time and read once, lazily, on the first
 * protobuf body. This module's only I/O is that read of a build artifact.
 *
 * Without the file (no kubectl binary at build time) protobuf stays unsupported and the
 * server answers such bodies with 415, as before.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeProtobufDecoder, ProtobufDecodeError, type GroupVersionKind } from './decoder.js';
import { SCHEMA_VERSION, type ProtobufSchema } from './schema.js';

export const SCHEMA_RELATIVE_PATH = join('generated', 'protobuf', 'schema.json');

/** Walks up from this module to the nearest generated/protobuf/schema.json; undefined when none. */
export function findSchemaFile(start: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, SCHEMA_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Reads and checks a schema file. Throws when it is unreadable or of another version. */
export function loadSchemaFile(path: string): ProtobufSchema {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ProtobufSchema>;
  if (parsed.version !== SCHEMA_VERSION || typeof parsed.messages !== 'object' || parsed.messages === null) {
    throw new Error(`${path}: not a protobuf schema of version ${SCHEMA_VERSION} (rebuild with npm run build)`);
  }
  return parsed as ProtobufSchema;
}

let cached: { decoder: KubeProtobufDecoder | undefined; problem: string } | undefined;

/**
 * The decoder for the built schema, loaded on first call; undefined when there is no
 * schema (see schemaProblem()).
 */
export function defaultDecoder(): KubeProtobufDecoder | undefined {
  if (cached === undefined) {
    const path = findSchemaFile();
    if (path === undefined) {
      cached = { decoder: undefined, problem: `${SCHEMA_RELATIVE_PATH} was not generated (no kubectl binary at build time)` };
    } else {
      try {
        cached = { decoder: new KubeProtobufDecoder(loadSchemaFile(path)), problem: '' };
      } catch (e) {
        cached = { decoder: undefined, problem: (e as Error).message };
      }
    }
  }
  return cached.decoder;
}

/** Why defaultDecoder() is undefined ('' when it is not). */
export function schemaProblem(): string {
  defaultDecoder();
  return cached?.problem ?? '';
}

/** Replaces the default decoder (tests); undefined forgets it so the next call reloads. */
export function setDefaultDecoder(decoder: KubeProtobufDecoder | undefined | null): void {
  cached = decoder === undefined ? undefined : decoder === null ? { decoder: undefined, problem: 'protobuf disabled' } : { decoder, problem: '' };
}

/**
 * Decodes a Kubernetes protobuf body (magic + runtime.Unknown) with the built schema
 * into the JSON object the JSON path would produce, kind and apiVersion set. Throws
 * ProtobufDecodeError (reason 'unavailable' without a schema).
 */
export function decodeKubeProtobuf(body: Uint8Array, expected?: Partial<GroupVersionKind>): Record<string, unknown> {
  const decoder = defaultDecoder();
  if (decoder === undefined) throw new ProtobufDecodeError('unavailable', schemaProblem());
  return decoder.decode(body, expected);
}

/**
 * Completes the definitions read from the kubernetes-types typings (the newest published
 * is 1.30) with the fields and types of Kubernetes 1.32, taken from the protobuf schema
 * that scripts/gen-protobuf.ts extracts from the kubectl 1.32 binary
 * (generated/protobuf/schema.json, see src/apimachinery/protobuf/schema.ts).
 *
 * Why it matters: the server prunes, and under fieldValidation=Strict rejects, every
 * field its definitions do not declare; server-side apply refuses them; `kubectl explain`
 * cannot show them. The protobuf descriptors list every field of every built-in type
 * with its JSON name, so they are a faithful source of the field set, though not of the
 * documentation, required fields or list semantics (those stay with the hand-written
 * tables in extensions.ts, which the generator applies to what this adds).
 *
 * What is added:
 * - to every definition whose message the schema has, each JSON property the message
 *   has (embedded structs flattened, as encoding/json does) and the definition lacks;
 * - a definition for every message such a property (or another added definition)
 *   refers to and the definitions lack;
 * - a definition for each kind listed in `newKinds` (kinds upstream publishes that the
 *   typings predate), its List, and everything they refer to, with their
 *   x-kubernetes-group-version-kind.
 * Special messages (Time, Quantity, IntOrString, RawExtension, ...) are never added: a
 * reference to one becomes a reference to the existing definition upstream publishes
 * for it, or the inline schema upstream uses (Duration is a string, a named string
 * slice such as ExtraValue an array of strings).
 *
 * The result depends only on its inputs, and everything is visited in sorted order.
 */
import type { SchemaField, SchemaMessage } from '../../apimachinery/protobuf/schema.js';
import { DEFINITIONS_REF_PREFIX, type GVKExtension, type Schema } from './schema.js';

export const INT_OR_STRING_DEF = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY_DEF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** The definition name upstream gives a message: k8s.io.api.core.v1.Pod -> io.k8s.api.core.v1.Pod. */
export function definitionNameForMessage(message: string): string {
  return message.startsWith('k8s.io.') ? `io.k8s.${message.slice('k8s.io.'.length)}` : message;
}

/** The message of a definition name (the inverse of definitionNameForMessage). */
export function messageNameForDefinition(def: string): string {
  return def.startsWith('io.k8s.') ? `k8s.io.${def.slice('io.k8s.'.length)}` : def;
}

/** The proto package of a group version (as upstream names it) and the kind's message. */
export interface NewKind extends GVKExtension {
  /** The proto package, e.g. k8s.io.api.resource.v1beta1. */
  package: string;
}

export interface ProtobufSupplementOptions {
  /** Kinds to publish although no definition has them yet (with their List kinds). */
  newKinds?: readonly NewKind[];
  /**
   * "<definition>.<property>" that the typings have and the protobuf schema lacks because
   * upstream removed the field: dropped. Any other such property is reported.
   */
  removedProperties?: readonly string[];
}

export interface ProtobufSupplementResult {
  /** "<definition>.<property>" added to definitions that existed before, sorted. */
  addedProperties: string[];
  /** Definitions added, sorted. */
  addedDefinitions: string[];
  /** "<definition>.<property>" removed (listed in removedProperties and absent upstream). */
  removedProperties: string[];
  warnings: string[];
}

type Messages = Readonly<Record<string, SchemaMessage>>;

/** Properties every kind has through TypeMeta, which is not a protobuf field. */
const TYPE_META_PROPERTIES = new Set(['apiVersion', 'kind']);

const ref = (def: string): Schema => ({ $ref: DEFINITIONS_REF_PREFIX + def });

/**
 * The JSON fields of a message in the order encoding/json writes them: an embedded
 * struct's fields take its place. A message that embeds itself (none does) stops there.
 */
export function jsonFields(messages: Messages, name: string, seen: ReadonlySet<string> = new Set()): SchemaField[] {
  const msg = messages[name];
  if (msg === undefined || seen.has(name)) return [];
  const out: SchemaField[] = [];
  for (const f of msg.fields) {
    if (f.inline === true && f.ref !== undefined) out.push(...jsonFields(messages, f.ref, new Set([...seen, name])));
    else if (f.json !== '') out.push(f);
  }
  return out;
}

function scalarSchema(type: string): Schema | undefined {
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'uint32':
    case 'fixed32':
      return { type: 'integer', format: 'int32' };
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
      return { type: 'integer', format: 'int64' };
    case 'double':
      return { type: 'number', format: 'double' };
    case 'float':
      return { type: 'number', format: 'float' };
  }
  return undefined;
}

class Supplementer {
  readonly warnings: string[] = [];
  /** Messages that need a definition, in the order met. */
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();

  constructor(
    private readonly messages: Messages,
    private readonly definitions: Record<string, Schema>,
  ) {}

  /** The schema of a value of message type `name` (a $ref, or a special's inline form). */
  messageSchema(name: string, where: string): Schema {
    const msg = this.messages[name];
    const def = definitionNameForMessage(name);
    if (msg?.special !== undefined) {
      switch (msg.special) {
        case 'duration':
          return { type: 'string' };
        case 'quantity':
          return ref(QUANTITY_DEF);
        case 'intorstring':
          return ref(INT_OR_STRING_DEF);
        case 'list': {
          const items = msg.fields[0];
          const item = items === undefined ? undefined : scalarSchema(items.type);
          if (item !== undefined) return { type: 'array', items: item };
          break;
        }
        default:
          if (this.definitions[def] !== undefined) return ref(def);
      }
      this.warnings.push(`${where}: no published form for special message ${name} (${msg.special}), left untyped`);
      return {};
    }
    if (msg === undefined) {
      if (this.definitions[def] !== undefined) return ref(def);
      this.warnings.push(`${where}: message ${name} is not in the protobuf schema, left untyped`);
      return {};
    }
    if (this.definitions[def] === undefined) this.enqueue(name);
    return ref(def);
  }

  /** The schema of one value of a field (an item of a list). */
  private valueSchema(type: string, refName: string | undefined, where: string): Schema {
    if (type === 'message') {
      if (refName === undefined) {
        this.warnings.push(`${where}: message field without a type, left untyped`);
        return {};
      }
      return this.messageSchema(refName, where);
    }
    const s = scalarSchema(type);
    if (s === undefined) this.warnings.push(`${where}: unsupported protobuf type ${type}, left untyped`);
    return s ?? {};
  }

  fieldSchema(f: SchemaField, where: string): Schema {
    if (f.type === 'map') {
      return { type: 'object', additionalProperties: this.valueSchema(f.value ?? 'string', f.ref, where) };
    }
    const one = this.valueSchema(f.type, f.ref, where);
    return f.repeated === true ? { type: 'array', items: one } : one;
  }

  enqueue(name: string): void {
    if (this.queued.has(name)) return;
    this.queued.add(name);
    this.queue.push(name);
  }

  /** Builds a definition for every queued message (and what those refer to). */
  drain(): string[] {
    const added: string[] = [];
    for (let i = 0; i < this.queue.length; i++) {
      const name = this.queue[i] as string;
      const def = definitionNameForMessage(name);
      if (this.definitions[def] !== undefined) continue;
      // Reserve the name first so self-references (JSONSchemaProps-like types) resolve.
      this.definitions[def] = { type: 'object' };
      const properties: Record<string, Schema> = {};
      for (const f of jsonFields(this.messages, name)) properties[f.json] = this.fieldSchema(f, `${def}.${f.json}`);
      this.definitions[def] = Object.keys(properties).length > 0 ? { type: 'object', properties } : { type: 'object' };
      added.push(def);
    }
    return added;
  }
}

/**
 * Adds to `definitions` (in place) what the protobuf schema has and they lack; see the
 * file comment. Descriptions, required lists, list types and enums are not invented:
 * the caller applies its tables to what is returned.
 */
export function supplementFromProtobuf(
  definitions: Record<string, Schema>,
  messages: Messages,
  opts: ProtobufSupplementOptions = {},
): ProtobufSupplementResult {
  const s = new Supplementer(messages, definitions);
  const addedProperties: string[] = [];
  const removedProperties: string[] = [];
  const removable = new Set(opts.removedProperties ?? []);
  const seenRemovable = new Set<string>();

  for (const def of Object.keys(definitions).sort()) {
    const d = definitions[def] as Schema;
    const message = messageNameForDefinition(def);
    const msg = messages[message];
    if (msg === undefined || msg.special !== undefined) continue;
    const fields = jsonFields(messages, message);
    if (fields.length === 0) continue;
    const properties: Record<string, Schema> = { ...(d.properties ?? {}) };
    let changed = false;
    for (const f of fields) {
      if (Object.hasOwn(properties, f.json)) continue;
      properties[f.json] = s.fieldSchema(f, `${def}.${f.json}`);
      addedProperties.push(`${def}.${f.json}`);
      changed = true;
    }
    const names = new Set(fields.map((f) => f.json));
    for (const p of Object.keys(properties).sort()) {
      if (names.has(p) || TYPE_META_PROPERTIES.has(p)) continue;
      const key = `${def}.${p}`;
      if (removable.has(key)) {
        seenRemovable.add(key);
        delete properties[p];
        removedProperties.push(key);
        changed = true;
      } else {
        s.warnings.push(`${key}: not a field of ${message} in the protobuf schema (removed upstream? list it to drop it)`);
      }
    }
    if (!changed) continue;
    const out: Schema = { ...d, properties };
    if (Array.isArray(d.required)) {
      const required = d.required.filter((r) => Object.hasOwn(properties, r));
      if (required.length > 0) out.required = required;
      else delete out.required;
    }
    definitions[def] = out;
  }
  for (const key of [...removable].sort()) {
    if (!seenRemovable.has(key)) s.warnings.push(`removed property ${key}: still a field upstream, or no such definition`);
  }

  const gvks = new Map<string, GVKExtension>();
  for (const k of opts.newKinds ?? []) {
    for (const kind of [k.kind, `${k.kind}List`]) {
      const message = `${k.package}.${kind}`;
      if (messages[message] === undefined) {
        s.warnings.push(`new kind ${k.group === '' ? '' : k.group + '/'}${k.version} ${kind}: no message ${message} in the protobuf schema`);
        continue;
      }
      const def = definitionNameForMessage(message);
      if (definitions[def] !== undefined) {
        s.warnings.push(`new kind ${kind}: definition ${def} already exists`);
        continue;
      }
      gvks.set(def, { group: k.group, kind, version: k.version });
      s.enqueue(message);
    }
  }
  const addedDefinitions = s.drain();
  for (const [def, gvk] of gvks) {
    const d = definitions[def];
    if (d === undefined) continue;
    // A kind's apiVersion and kind are TypeMeta, which the protobuf messages leave out.
    const typeMeta: Record<string, Schema> = { apiVersion: { type: 'string' }, kind: { type: 'string' } };
    definitions[def] = { ...d, properties: { ...typeMeta, ...(d.properties ?? {}) }, 'x-kubernetes-group-version-kind': [{ ...gvk }] };
  }
  return {
    addedProperties: addedProperties.sort(),
    addedDefinitions: addedDefinitions.sort(),
    removedProperties: removedProperties.sort(),
    warnings: s.warnings,
  };
}

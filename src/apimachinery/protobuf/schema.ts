/**
 * The protobuf schema of the built-in API types, as scripts/gen-protobuf.ts writes it
 * to generated/protobuf/schema.json, and the rules that build it from the descriptors
 * and Go struct tags found in a kubectl binary (see extract.ts).
 *
 * For every message: its fields in Go struct order (which is the order the descriptor
 * lists them, and the order encoding/json writes them), each with
 *   no       the field number
 *   json     the JSON property name ("" for an embedded struct, see inline)
 *   type     the protobuf scalar type, "message", or "map"
 *   ref      the message type of a message field (or of a map's values)
 *   key/value the key and value types of a map
 *   repeated a list
 *   ptr      a Go pointer: present on the wire means present in JSON even when zero
 *            (Deployment spec.replicas: 0). From gogoproto.nullable: gogo makes every
 *            singular field a pointer unless the descriptor says nullable=false.
 *   inline   a Go embedded struct (`json:",inline"`): its properties belong to the parent
 *   keep     a non-pointer scalar whose json tag has no omitempty: written even when zero
 *            (PriorityClass value: 0, ContainerPort containerPort, Container name)
 *   keepNull a list or map whose json tag has no omitempty: an empty Go object writes it as
 *            null (PodSpec containers: null), which server-side apply's field tracking
 *            compares against when an object is created
 * and `special` for the types whose JSON is not their message shape (Time, Quantity,
 * IntOrString, RawExtension, ...).
 */
import type { FieldDescriptor, FieldType, FileDescriptor, MessageDescriptor } from './descriptor.js';
import { LABEL_REPEATED } from './descriptor.js';
import type { GoFieldTag, GoStructType } from './extract.js';

export const SCHEMA_VERSION = 1;

/**
 * How a special message becomes JSON:
 *   time        meta.v1.Time {seconds,nanos}: RFC 3339 in UTC, whole seconds
 *   microtime   meta.v1.MicroTime: RFC 3339 in UTC with 6 fractional digits
 *   duration    meta.v1.Duration {duration}: Go's time.Duration String() ("1h0m0s")
 *   quantity    resource.Quantity {string}: the string
 *   intorstring intstr.IntOrString {type,intVal,strVal}: a number or a string
 *   rawjson     runtime.RawExtension / meta.v1.FieldsV1 / apiextensions JSON {raw}: the
 *               raw bytes parsed as JSON (or a nested k8s protobuf object)
 *   list        a named Go slice (authentication ExtraValue, meta.v1.Verbs) {items}: an array
 */
export type SpecialKind = 'time' | 'microtime' | 'duration' | 'quantity' | 'intorstring' | 'rawjson' | 'list';

/** Special messages by full name; `list` is detected from the descriptor instead. */
export const SPECIAL_MESSAGES: Readonly<Record<string, SpecialKind>> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'microtime',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'duration',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'rawjson',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'rawjson',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': 'quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'intorstring',
  'k8s.io.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': 'rawjson',
  'k8s.io.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSON': 'rawjson',
};

export type ScalarType = Exclude<FieldType, 'message' | 'group'>;

export interface SchemaField {
  no: number;
  json: string;
  type: ScalarType | 'message' | 'map';
  ref?: string;
  key?: ScalarType;
  value?: ScalarType | 'message';
  repeated?: true;
  ptr?: true;
  inline?: true;
  keep?: true;
  /** A list or map whose json tag has no omitempty: an empty Go object writes it as null. */
  keepNull?: true;
}

export interface SchemaMessage {
  special?: SpecialKind;
  fields: SchemaField[];
}

export interface ProtobufSchema {
  version: number;
  /** Where the descriptors came from (path, size, sha256 of the binary). */
  source: { path: string; bytes: number; sha256: string };
  /** The generated.proto files read. */
  files: string[];
  /** Full message name (k8s.io.api.core.v1.Pod) -> its fields. */
  messages: Record<string, SchemaMessage>;
}

export interface BuildResult {
  messages: Record<string, SchemaMessage>;
  /** Messages whose Go struct was found (JSON names, omitempty and embedding exact). */
  matched: number;
  /** Messages described only by the loose Go tags (or by nothing). */
  unmatched: string[];
  /** "<message>.<field>" of every field found to be an embedded (inline) struct. */
  inline: string[];
  /** "<message>.<field> -> <json>" for every field whose JSON name is not its proto name. */
  renamed: string[];
  warnings: string[];
}

/**
 * JSON names for fields that no Go tag describes (a binary without the tags): the
 * names go-to-protobuf derived from Go field names rather than json tags.
 */
const FALLBACK_JSON_NAMES: Readonly<Record<string, string>> = { aPIGroup: 'apiGroup', uID: 'uid' };

function simpleName(full: string): string {
  const i = full.lastIndexOf('.');
  return i >= 0 ? full.slice(i + 1) : full;
}

function fallbackJSONName(protoName: string): string {
  const fixed = FALLBACK_JSON_NAMES[protoName];
  if (fixed !== undefined) return fixed;
  if (/^[A-Z]/.test(protoName)) return protoName.charAt(0).toLowerCase() + protoName.slice(1);
  return protoName;
}

interface TagIndex {
  named: Map<string, GoFieldTag[]>;
  unnamedInline: Set<number>;
}

function indexTags(tags: readonly GoFieldTag[]): TagIndex {
  const named = new Map<string, GoFieldTag[]>();
  const unnamedInline = new Set<number>();
  for (const t of tags) {
    if (t.protoName === undefined) {
      if (t.inline) unnamedInline.add(t.number);
      continue;
    }
    const k = `${t.number}:${t.protoName}`;
    const list = named.get(k);
    if (list === undefined) named.set(k, [t]);
    else list.push(t);
  }
  return { named, unnamedInline };
}

/** Whether the descriptor looks like a Go embedded struct: Go names embedded fields after their type. */
function embeddedShape(f: FieldDescriptor): boolean {
  return f.type === 'message' && f.label !== LABEL_REPEATED && f.nullable === false && f.customName === simpleName(f.typeName);
}

/** The JSON name and inline flag of a field, from the Go tags when they describe it. */
function resolveName(msg: string, f: FieldDescriptor, idx: TagIndex, warnings: string[]): { json: string; inline: boolean } {
  const tags = idx.named.get(`${f.number}:${f.name}`);
  if (tags !== undefined && tags.length > 0) {
    const inline = tags.filter((t) => t.inline);
    const plain = tags.filter((t) => !t.inline);
    if (inline.length > 0 && plain.length === 0) {
      if (f.type !== 'message' || f.label === LABEL_REPEATED) {
        warnings.push(`${msg}.${f.name}: tagged inline but is not a singular message`);
        return { json: fallbackJSONName(f.name), inline: false };
      }
      return { json: '', inline: true };
    }
    // Types that share this (number, name) disagree: the embedded-looking one is inline.
    if (inline.length > 0 && embeddedShape(f)) return { json: '', inline: true };
    const names = [...new Set(plain.map((t) => t.json))];
    if (names.length === 1 && names[0] !== undefined) return { json: names[0], inline: false };
    // Several types share this (number, name) with different JSON names; the proto name
    // is the JSON name unless go-to-protobuf had to invent it.
    if (names.includes(f.name)) return { json: f.name, inline: false };
    warnings.push(`${msg}.${f.name}: Go tags give several JSON names (${names.join(', ')}); using ${fallbackJSONName(f.name)}`);
    return { json: fallbackJSONName(f.name), inline: false };
  }
  if (idx.unnamedInline.has(f.number) && embeddedShape(f)) return { json: '', inline: true };
  return { json: fallbackJSONName(f.name), inline: false };
}

interface GoFieldInfo {
  json: string;
  omitempty: boolean;
  inline: boolean;
}

/** What encoding/json does with each protobuf field of a Go struct, by field number. */
function goFieldsByNumber(t: GoStructType): Map<number, GoFieldInfo> {
  const out = new Map<number, GoFieldInfo>();
  for (const f of t.fields) {
    const pb = /(?:^|\s)protobuf:"[a-z0-9]+,(\d+),/.exec(f.tag);
    if (pb === null || pb[1] === undefined) continue;
    const json = /(?:^|\s)json:"([^"]*)"/.exec(f.tag);
    const parts = json !== null && json[1] !== undefined ? json[1].split(',') : [];
    const jsonName = parts[0] ?? '';
    out.set(Number(pb[1]), {
      // encoding/json: an embedded struct without a name is flattened; an untagged field is named after the Go field.
      json: jsonName === '' && !f.embedded ? f.name : jsonName,
      omitempty: parts.slice(1).includes('omitempty'),
      inline: f.embedded && jsonName === '',
    });
  }
  return out;
}

function isListWrapper(m: MessageDescriptor): boolean {
  const only = m.fields[0];
  return m.customStringer && m.fields.length === 1 && only !== undefined && only.name === 'items' && only.label === LABEL_REPEATED;
}

/**
 * Builds the schema messages from parsed descriptors and what the same binary says
 * about the Go types. `structs` (readGoStructTypes) is exact: each message's Go struct
 * gives every field's JSON name, omitempty and embedding. Messages without one fall
 * back to `tags` (scanGoTags), matched by (number, proto name) across all types: JSON
 * names and inline embedding, no omitempty. With neither, JSON names are the proto
 * names and only the fields shaped like embedded structs are inline.
 */
export function buildSchemaMessages(
  files: readonly FileDescriptor[],
  tags: readonly GoFieldTag[],
  structs?: ReadonlyMap<string, GoStructType>,
): BuildResult {
  const idx = indexTags(tags);
  const all = new Map<string, { m: MessageDescriptor; goType: string }>();
  for (const file of files) {
    // Older binaries registered vendored paths: k8s.io/kubernetes/vendor/k8s.io/api/...
    const goPackage = file.name.replace(/^.*\/vendor\//, '').replace(/\/generated\.proto$/, '');
    for (const m of file.messages) {
      if (all.has(m.fullName)) continue;
      const short = file.package === '' ? m.fullName : m.fullName.slice(file.package.length + 1);
      all.set(m.fullName, { m, goType: `${goPackage}.${short}` });
    }
  }
  const enums = new Set(files.flatMap((f) => f.enums));
  const out: Record<string, SchemaMessage> = {};
  const inline: string[] = [];
  const renamed: string[] = [];
  const warnings: string[] = [];
  const unmatched: string[] = [];
  let matched = 0;
  const names = [...all.keys()].sort();
  for (const name of names) {
    const { m, goType } = all.get(name) as { m: MessageDescriptor; goType: string };
    if (m.mapEntry) continue;
    const sm: SchemaMessage = { fields: [] };
    const special = SPECIAL_MESSAGES[name] ?? (isListWrapper(m) ? 'list' : undefined);
    if (special !== undefined) sm.special = special;
    const goStruct = special === undefined ? structs?.get(goType) : undefined;
    const goFields = goStruct !== undefined ? goFieldsByNumber(goStruct) : undefined;
    if (special === undefined && m.fields.length > 0) {
      if (goFields !== undefined) matched++;
      else unmatched.push(name);
    }
    for (const f of m.fields) {
      if (f.type === 'group') {
        warnings.push(`${name}.${f.name}: groups are not supported; field dropped`);
        continue;
      }
      let json: string;
      let isInline: boolean;
      let omitempty = true;
      const gf = goFields?.get(f.number);
      if (special !== undefined) {
        json = f.name;
        isInline = false;
      } else if (gf !== undefined) {
        json = gf.json;
        isInline = gf.inline;
        omitempty = gf.omitempty;
        if (isInline && (f.type !== 'message' || f.label === LABEL_REPEATED)) {
          warnings.push(`${name}.${f.name}: embedded in Go but not a singular message; taken as named`);
          isInline = false;
          json = fallbackJSONName(f.name);
        }
      } else {
        if (goFields !== undefined) warnings.push(`${name}.${f.name}: no Go field has protobuf number ${f.number}`);
        ({ json, inline: isInline } = resolveName(name, f, idx, warnings));
      }
      if (json === '-' && special === undefined) continue;
      if (isInline) inline.push(`${name}.${f.name}`);
      else if (json !== f.name) renamed.push(`${name}.${f.name} -> ${json}`);
      const sf: SchemaField = { no: f.number, json: isInline ? '' : json, type: f.type === 'enum' ? 'int32' : f.type };
      const entry = f.type === 'message' ? all.get(f.typeName)?.m : undefined;
      if (f.type === 'message' && entry === undefined && !enums.has(f.typeName)) {
        warnings.push(`${name}.${f.name}: unknown message type ${f.typeName}`);
      }
      if (f.label === LABEL_REPEATED && entry?.mapEntry === true) {
        const k = entry.fields.find((x) => x.number === 1);
        const v = entry.fields.find((x) => x.number === 2);
        if (k === undefined || v === undefined || k.type === 'message' || k.type === 'group' || v.type === 'group') {
          warnings.push(`${name}.${f.name}: malformed map entry ${f.typeName}; field dropped`);
          continue;
        }
        sf.type = 'map';
        sf.key = k.type === 'enum' ? 'int32' : k.type;
        sf.value = v.type === 'enum' ? 'int32' : v.type;
        if (v.type === 'message') sf.ref = v.typeName;
        if (!omitempty) sf.keepNull = true;
      } else {
        if (f.type === 'message') sf.ref = f.typeName;
        if (f.label === LABEL_REPEATED) sf.repeated = true;
        // []byte is never a pointer; a singular message or scalar is one unless nullable=false.
        else if (f.type !== 'bytes' && f.nullable !== false && !isInline) sf.ptr = true;
        if (isInline) sf.inline = true;
        // Only a non-pointer scalar's zero depends on omitempty; structs are always written.
        if (!omitempty && f.label !== LABEL_REPEATED && sf.ptr === undefined && f.type !== 'message') sf.keep = true;
        if (!omitempty && f.label === LABEL_REPEATED) sf.keepNull = true;
      }
      sm.fields.push(sf);
    }
    out[name] = sm;
  }
  return { messages: out, matched, unmatched, inline, renamed, warnings };
}

/** Kinds every group version serves from meta.k8s.io/v1 (AddToGroupVersion's option types). */
export const META_KINDS: ReadonlySet<string> = new Set([
  'DeleteOptions',
  'ListOptions',
  'GetOptions',
  'CreateOptions',
  'UpdateOptions',
  'PatchOptions',
  'WatchEvent',
  'Status',
]);

export const META_V1_PACKAGE = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** Go packages whose proto package is not k8s.io.api.<first label of the group>. */
const GROUP_PACKAGES: Readonly<Record<string, string>> = {
  '': 'k8s.io.api.core',
  'meta.k8s.io': 'k8s.io.apimachinery.pkg.apis.meta',
  'internal.apiserver.k8s.io': 'k8s.io.api.apiserverinternal',
  'metrics.k8s.io': 'k8s.io.metrics.pkg.apis.metrics',
  'apiextensions.k8s.io': 'k8s.io.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'k8s.io.kube-aggregator.pkg.apis.apiregistration',
};

/** The proto package of a group version as upstream names it: apps/v1 -> k8s.io.api.apps.v1. */
export function protoPackage(group: string, version: string): string {
  const base = GROUP_PACKAGES[group] ?? `k8s.io.api.${group.split('.')[0] ?? group}`;
  return `${base}.${version}`;
}

/**
 * The message of a group/version/kind: <package>.<Kind>, or meta.v1's for the option
 * kinds (DeleteOptions, ...) every group version serves. Undefined when there is none.
 */
export function messageNameFor(messages: Readonly<Record<string, unknown>>, gvk: { group: string; version: string; kind: string }): string | undefined {
  if (gvk.kind === '' || gvk.version === '') return undefined;
  const own = `${protoPackage(gvk.group, gvk.version)}.${gvk.kind}`;
  if (Object.hasOwn(messages, own)) return own;
  if (META_KINDS.has(gvk.kind)) {
    const meta = `${META_V1_PACKAGE}.${gvk.kind}`;
    if (Object.hasOwn(messages, meta)) return meta;
  }
  return undefined;
}

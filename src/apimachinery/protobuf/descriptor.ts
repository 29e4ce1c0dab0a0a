/**
 * Just enough of google/protobuf/descriptor.proto to read the FileDescriptorProtos
 * that gogo-protobuf registers for Kubernetes' generated.proto files: packages,
 * messages (nested ones flattened with their full names), fields, and the gogoproto
 * options that say how a field maps to Go (nullable=false means "not a pointer").
 *
 * Field numbers read here (descriptor.proto):
 *   FileDescriptorProto  1 name, 2 package, 3 dependency, 4 message_type, 5 enum_type, 12 syntax
 *   DescriptorProto      1 name, 2 field, 3 nested_type, 4 enum_type, 7 options
 *   FieldDescriptorProto 1 name, 3 number, 4 label, 5 type, 6 type_name, 8 options, 10 json_name
 *   MessageOptions       7 map_entry; gogoproto 64003 goproto_stringer, 67008 stringer
 *   FieldOptions         gogoproto 65001 nullable, 65004 customname, 65007 casttype,
 *                        65008 castkey, 65009 castvalue
 */
import { Reader, WIRE_BYTES, WIRE_VARINT, decodeString } from './wire.js';

/** FieldDescriptorProto.Type, by number. */
export const FIELD_TYPES = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  10: 'group',
  11: 'message',
  12: 'bytes',
  13: 'uint32',
  14: 'enum',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
} as const;

export type FieldType = (typeof FIELD_TYPES)[keyof typeof FIELD_TYPES];

export const LABEL_OPTIONAL = 1;
export const LABEL_REQUIRED = 2;
export const LABEL_REPEATED = 3;

export const GOGO_NULLABLE = 65001;
export const GOGO_CUSTOMNAME = 65004;
export const GOGO_CASTTYPE = 65007;
export const GOGO_GOPROTO_STRINGER = 64003;
export const GOGO_STRINGER = 67008;

export interface FieldDescriptor {
  name: string;
  number: number;
  label: number;
  type: FieldType;
  /** Fully qualified, without the leading dot (".k8s.io.api.core.v1.Pod" -> "k8s.io.api.core.v1.Pod"). */
  typeName: string;
  jsonName: string;
  /** gogoproto.nullable; undefined when the option is absent (gogo's default: true). */
  nullable: boolean | undefined;
  /** gogoproto.customname: the Go field name when it differs from the generated one. */
  customName: string | undefined;
  /** gogoproto.casttype: the Go type of a scalar field (e.g. k8s.io/apimachinery/pkg/types.UID). */
  castType: string | undefined;
}

export interface MessageDescriptor {
  /** Fully qualified, without the leading dot. */
  fullName: string;
  fields: FieldDescriptor[];
  mapEntry: boolean;
  /** gogoproto.goproto_stringer=false or stringer=false: the Go type has its own String(). */
  customStringer: boolean;
}

export interface FileDescriptor {
  name: string;
  package: string;
  dependencies: string[];
  syntax: string;
  /** Every message of the file, nested ones included, in declaration order. */
  messages: MessageDescriptor[];
  /** Full names of the file's enums (Kubernetes' files have none). */
  enums: string[];
}

function fieldsOf(buf: Uint8Array, visit: (field: number, wireType: number, r: Reader) => void): void {
  const r = new Reader(buf);
  while (!r.done()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    const before = r.pos;
    visit(field, wireType, r);
    if (r.pos === before) r.skip(wireType);
  }
}

function str(r: Reader): string {
  return decodeString(r.bytes());
}

function num(r: Reader): number {
  const v = r.varint();
  return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v;
}

function stripDot(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name;
}

function parseField(buf: Uint8Array): FieldDescriptor {
  const f: FieldDescriptor = {
    name: '',
    number: 0,
    label: LABEL_OPTIONAL,
    type: 'int32',
    typeName: '',
    jsonName: '',
    nullable: undefined,
    customName: undefined,
    castType: undefined,
  };
  fieldsOf(buf, (n, w, r) => {
    if (n === 1 && w === WIRE_BYTES) f.name = str(r);
    else if (n === 3 && w === WIRE_VARINT) f.number = num(r);
    else if (n === 4 && w === WIRE_VARINT) f.label = num(r);
    else if (n === 5 && w === WIRE_VARINT) {
      const t = num(r);
      const name = (FIELD_TYPES as Record<number, FieldType>)[t];
      if (name === undefined) throw new Error(`descriptor: unknown field type ${t}`);
      f.type = name;
    } else if (n === 6 && w === WIRE_BYTES) f.typeName = stripDot(str(r));
    else if (n === 10 && w === WIRE_BYTES) f.jsonName = str(r);
    else if (n === 8 && w === WIRE_BYTES) {
      fieldsOf(r.bytes(), (on, ow, or) => {
        if (on === GOGO_NULLABLE && ow === WIRE_VARINT) f.nullable = num(or) !== 0;
        else if (on === GOGO_CUSTOMNAME && ow === WIRE_BYTES) f.customName = str(or);
        else if (on === GOGO_CASTTYPE && ow === WIRE_BYTES) f.castType = str(or);
      });
    }
  });
  if (f.jsonName === '') f.jsonName = f.name;
  return f;
}

function parseMessage(buf: Uint8Array, scope: string, out: MessageDescriptor[], enums: string[]): void {
  const m: MessageDescriptor = { fullName: '', fields: [], mapEntry: false, customStringer: false };
  const nested: Uint8Array[] = [];
  const nestedEnums: string[] = [];
  fieldsOf(buf, (n, w, r) => {
    if (n === 1 && w === WIRE_BYTES) m.fullName = scope === '' ? str(r) : `${scope}.${str(r)}`;
    else if (n === 2 && w === WIRE_BYTES) m.fields.push(parseField(r.bytes()));
    else if (n === 3 && w === WIRE_BYTES) nested.push(r.bytes());
    else if (n === 4 && w === WIRE_BYTES) nestedEnums.push(enumName(r.bytes()));
    else if (n === 7 && w === WIRE_BYTES) {
      fieldsOf(r.bytes(), (on, ow, or) => {
        if (on === 7 && ow === WIRE_VARINT) m.mapEntry = num(or) !== 0;
        else if ((on === GOGO_GOPROTO_STRINGER || on === GOGO_STRINGER) && ow === WIRE_VARINT && num(or) === 0) m.customStringer = true;
      });
    }
  });
  out.push(m);
  for (const e of nestedEnums) enums.push(`${m.fullName}.${e}`);
  for (const b of nested) parseMessage(b, m.fullName, out, enums);
}

function enumName(buf: Uint8Array): string {
  let name = '';
  fieldsOf(buf, (n, w, r) => {
    if (n === 1 && w === WIRE_BYTES) name = str(r);
  });
  return name;
}

/** Parses one serialized FileDescriptorProto. Throws on malformed input. */
export function parseFileDescriptor(buf: Uint8Array): FileDescriptor {
  const file: FileDescriptor = { name: '', package: '', dependencies: [], syntax: 'proto2', messages: [], enums: [] };
  const messages: Uint8Array[] = [];
  const enums: string[] = [];
  fieldsOf(buf, (n, w, r) => {
    if (n === 1 && w === WIRE_BYTES) file.name = str(r);
    else if (n === 2 && w === WIRE_BYTES) file.package = str(r);
    else if (n === 3 && w === WIRE_BYTES) file.dependencies.push(str(r));
    else if (n === 4 && w === WIRE_BYTES) messages.push(r.bytes());
    else if (n === 5 && w === WIRE_BYTES) enums.push(enumName(r.bytes()));
    else if (n === 12 && w === WIRE_BYTES) file.syntax = str(r);
  });
  for (const b of messages) parseMessage(b, file.package, file.messages, file.enums);
  for (const e of enums) file.enums.push(file.package === '' ? e : `${file.package}.${e}`);
  return file;
}

/**
 * Swagger 2.0 as the protobuf message client-go asks for at /openapi/v2
 * (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf): gnostic's
 * openapi.v2.Document (github.com/google/gnostic, openapiv2/OpenAPIv2.proto).
 *
 * client-go's DiscoveryClient.OpenAPISchema() only ever decodes protobuf: a JSON body
 * fails with "proto: cannot parse invalid wire-format data", and a 406 sends it to the
 * pre-1.10 /swagger-2.0.0.pb-v1 path. kubectl up to 1.28 reads it for
 * `create -f`/`apply -f` validation and `explain`, so it has to be served.
 *
 * Only what a Kubernetes swagger document uses is encoded: info, paths (operations,
 * path/query/body parameters, responses), definitions, security. Vendor extensions
 * (`x-*`), `default`, `enum` and `example` become openapi.v2.Any with the value in its
 * `yaml` field; JSON text is valid YAML, which is what gnostic's readers parse it with.
 */

// ---- wire format -------------------------------------------------------------

class Writer {
  private buf = Buffer.allocUnsafe(256);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    // Non-negative integers below 2^53 only (lengths, tags, counts, booleans).
    while (v > 0x7f) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** A message under construction: fields are appended in any order (proto allows it). */
class Message {
  readonly w = new Writer();

  string(field: number, v: unknown): this {
    if (typeof v !== 'string' || v === '') return this;
    const b = Buffer.from(v, 'utf8');
    this.w.tag(field, 2);
    this.w.varint(b.length);
    this.w.bytes(b);
    return this;
  }

  strings(field: number, v: unknown): this {
    if (!Array.isArray(v)) return this;
    for (const s of v) {
      const b = Buffer.from(String(s), 'utf8');
      this.w.tag(field, 2);
      this.w.varint(b.length);
      this.w.bytes(b);
    }
    return this;
  }

  bool(field: number, v: unknown): this {
    if (v !== true) return this;
    this.w.tag(field, 0);
    this.w.varint(1);
    return this;
  }

  int64(field: number, v: unknown): this {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return this;
    this.w.tag(field, 0);
    this.w.varint(v);
    return this;
  }

  double(field: number, v: unknown): this {
    if (typeof v !== 'number' || v === 0) return this;
    this.w.tag(field, 1);
    this.w.double(v);
    return this;
  }

  message(field: number, m: Message | undefined): this {
    if (m === undefined) return this;
    const b = m.w.finish();
    this.w.tag(field, 2);
    this.w.varint(b.length);
    this.w.bytes(b);
    return this;
  }

  messages(field: number, ms: (Message | undefined)[]): this {
    for (const m of ms) this.message(field, m);
    return this;
  }

  finish(): Buffer {
    return this.w.finish();
  }
}

// ---- openapi.v2 messages -------------------------------------------------------

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** openapi.v2.Any { yaml = 2 } */
function any(v: unknown): Message {
  return new Message().string(2, JSON.stringify(v));
}

/** repeated NamedAny: the `x-*` keys of an object. */
function vendorExtensions(o: Obj): Message[] {
  const out: Message[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    out.push(new Message().string(1, k).message(2, any(v)));
  }
  return out;
}

/** openapi.v2.Schema */
function schema(s: Obj): Message {
  const m = new Message()
    .string(1, s.$ref)
    .string(2, s.format)
    .string(3, s.title)
    .string(4, s.description);
  if (s.default !== undefined) m.message(5, any(s.default));
  m.double(6, s.multipleOf)
    .double(7, s.maximum)
    .bool(8, s.exclusiveMaximum)
    .double(9, s.minimum)
    .bool(10, s.exclusiveMinimum)
    .int64(11, s.maxLength)
    .int64(12, s.minLength)
    .string(13, s.pattern)
    .int64(14, s.maxItems)
    .int64(15, s.minItems)
    .bool(16, s.uniqueItems)
    .int64(17, s.maxProperties)
    .int64(18, s.minProperties)
    .strings(19, s.required);
  if (Array.isArray(s.enum)) m.messages(20, s.enum.map(any));
  if (typeof s.additionalProperties === 'boolean') {
    // AdditionalPropertiesItem { bool boolean = 2 } (a oneof: false is still written)
    const item = new Message();
    item.w.tag(2, 0);
    item.w.varint(s.additionalProperties ? 1 : 0);
    m.message(21, item);
  } else if (isObj(s.additionalProperties)) {
    m.message(21, new Message().message(1, schema(s.additionalProperties)));
  }
  if (typeof s.type === 'string') m.message(22, new Message().strings(1, [s.type]));
  else if (Array.isArray(s.type)) m.message(22, new Message().strings(1, s.type));
  if (isObj(s.items)) m.message(23, new Message().message(1, schema(s.items)));
  else if (Array.isArray(s.items)) m.message(23, new Message().messages(1, s.items.filter(isObj).map(schema)));
  if (Array.isArray(s.allOf)) m.messages(24, s.allOf.filter(isObj).map(schema));
  if (isObj(s.properties)) m.message(25, namedSchemas(s.properties));
  m.string(26, s.discriminator).bool(27, s.readOnly);
  if (s.example !== undefined) m.message(30, any(s.example));
  return m.messages(31, vendorExtensions(s));
}

/** A message whose field 1 is repeated NamedSchema (Properties, Definitions). */
function namedSchemas(o: Obj): Message {
  const m = new Message();
  for (const [name, v] of Object.entries(o)) if (isObj(v)) m.message(1, new Message().string(1, name).message(2, schema(v)));
  return m;
}

/** openapi.v2.ParametersItem */
function parameter(p: Obj): Message {
  if (typeof p.$ref === 'string') return new Message().message(2, new Message().string(1, p.$ref).string(2, p.description));
  let param: Message;
  if (p.in === 'body') {
    const body = new Message()
      .string(1, p.description)
      .string(2, p.name)
      .string(3, p.in)
      .bool(4, p.required)
      .message(5, isObj(p.schema) ? schema(p.schema) : undefined)
      .messages(6, vendorExtensions(p));
    param = new Message().message(1, body);
  } else {
    // The four NonBodyParameter sub-schemas (header 1, formData 2, query 3, path 4)
    // share their first fields; query and formData have allow_empty_value = 5, which
    // shifts every later field by one.
    const query = p.in === 'query';
    const shifted = query || p.in === 'formData';
    const sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
    const off = shifted ? 1 : 0;
    if (shifted) sub.bool(5, p.allowEmptyValue);
    sub
      .string(5 + off, p.type)
      .string(6 + off, p.format)
      .string(8 + off, p.collectionFormat);
    if (p.default !== undefined) sub.message(9 + off, any(p.default));
    sub.bool(19 + off, p.uniqueItems);
    if (Array.isArray(p.enum)) sub.messages(20 + off, p.enum.map(any));
    sub.messages(22 + off, vendorExtensions(p));
    const kind = p.in === 'header' ? 1 : p.in === 'formData' ? 2 : query ? 3 : 4;
    param = new Message().message(2, new Message().message(kind, sub));
  }
  return new Message().message(1, param);
}

/** openapi.v2.Responses */
function responses(r: Obj): Message {
  const m = new Message();
  for (const [code, v] of Object.entries(r)) {
    if (!isObj(v)) continue;
    let value: Message;
    if (typeof v.$ref === 'string') {
      value = new Message().message(2, new Message().string(1, v.$ref));
    } else {
      const resp = new Message().string(1, v.description);
      if (isObj(v.schema)) resp.message(2, new Message().message(1, schema(v.schema)));
      resp.messages(5, vendorExtensions(v));
      value = new Message().message(1, resp);
    }
    m.message(1, new Message().string(1, code).message(2, value));
  }
  return m;
}

/** openapi.v2.Operation */
function operation(o: Obj): Message {
  const m = new Message()
    .strings(1, o.tags)
    .string(2, o.summary)
    .string(3, o.description)
    .string(5, o.operationId)
    .strings(6, o.produces)
    .strings(7, o.consumes);
  if (Array.isArray(o.parameters)) m.messages(8, o.parameters.filter(isObj).map(parameter));
  if (isObj(o.responses)) m.message(9, responses(o.responses));
  m.strings(10, o.schemes).bool(11, o.deprecated);
  return m.messages(13, vendorExtensions(o));
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** openapi.v2.PathItem */
function pathItem(p: Obj): Message {
  const m = new Message().string(1, p.$ref);
  for (const [method, field] of Object.entries(METHOD_FIELDS)) {
    const op = p[method];
    if (isObj(op)) m.message(field, operation(op));
  }
  if (Array.isArray(p.parameters)) m.messages(9, p.parameters.filter(isObj).map(parameter));
  return m.messages(10, vendorExtensions(p));
}

/** openapi.v2.SecurityDefinitions (apiKey and basic schemes only). */
function securityDefinitions(s: Obj): Message {
  const m = new Message();
  for (const [name, v] of Object.entries(s)) {
    if (!isObj(v)) continue;
    let item: Message | undefined;
    if (v.type === 'apiKey') {
      item = new Message().message(2, new Message().string(1, v.type).string(2, v.name).string(3, v.in).string(4, v.description).messages(5, vendorExtensions(v)));
    } else if (v.type === 'basic') {
      item = new Message().message(1, new Message().string(1, v.type).string(2, v.description).messages(3, vendorExtensions(v)));
    }
    if (item !== undefined) m.message(1, new Message().string(1, name).message(2, item));
  }
  return m;
}

/** openapi.v2.SecurityRequirement */
function securityRequirement(r: Obj): Message {
  const m = new Message();
  for (const [name, scopes] of Object.entries(r)) {
    m.message(1, new Message().string(1, name).message(2, new Message().strings(1, Array.isArray(scopes) ? scopes : [])));
  }
  return m;
}

/** Encodes a Swagger 2.0 document (as parsed JSON) as an openapi.v2.Document. */
export function encodeSwaggerV2(doc: Obj): Buffer {
  const m = new Message().string(1, doc.swagger);
  if (isObj(doc.info)) {
    const info = doc.info;
    m.message(2, new Message().string(1, info.title).string(2, info.version).string(3, info.description).messages(7, vendorExtensions(info)));
  }
  m.string(3, doc.host).string(4, doc.basePath).strings(5, doc.schemes).strings(6, doc.consumes).strings(7, doc.produces);
  if (isObj(doc.paths)) {
    const paths = new Message();
    for (const [path, item] of Object.entries(doc.paths)) {
      if (path.startsWith('x-')) paths.message(1, new Message().string(1, path).message(2, any(item)));
      else if (isObj(item)) paths.message(2, new Message().string(1, path).message(2, pathItem(item)));
    }
    m.message(8, paths);
  }
  if (isObj(doc.definitions)) m.message(9, namedSchemas(doc.definitions));
  if (Array.isArray(doc.security)) m.messages(12, doc.security.filter(isObj).map(securityRequirement));
  if (isObj(doc.securityDefinitions)) m.message(13, securityDefinitions(doc.securityDefinitions));
  return m.messages(16, vendorExtensions(doc)).finish();
}

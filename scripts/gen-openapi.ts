/**
 * Generates the OpenAPI definitions the API server publishes at /openapi/v2 and
 * /openapi/v3, from the kubernetes-types typings (with the TypeScript compiler API),
 * completed with the 1.32 protobuf schema.
 *
 *   node dist/scripts/gen-openapi.js [--out <file>]     (run by `npm run build`)
 *
 * Writes <repo>/generated/openapi/definitions.json: Swagger 2.0 style definitions
 * keyed by upstream's names (io.k8s.api.core.v1.Pod, ...), refs as
 * `#/definitions/<name>`, serialized with sorted keys so the same input always gives
 * the same bytes.
 *
 * What the typings give: every type, its JSDoc (descriptions), which properties are
 * optional (`required`), and literal apiVersion/kind fields
 * (x-kubernetes-group-version-kind). What they do not give, and where it comes from:
 * - integer widths: the typings only say `number`. The generated models of
 *   @kubernetes/client-node (a devDependency) carry upstream's `format` for every field
 *   (int32, int64, double, byte); they are read when present. Without them every
 *   number becomes `integer`/`int32` (a warning is printed).
 * - `number | string` is upstream's IntOrString; Quantity, Time and MicroTime are
 *   string aliases in the typings and become upstream's special definitions.
 * - patch strategies, merge keys, list, map and struct types, `+enum` values, `+default`
 *   values, JSONSchemaProps' x-kubernetes-* properties and the few fields the typings
 *   drop: the hand-written tables in src/apiserver/openapi/extensions.ts. An enum field
 *   gets `enum` (on its items for a list, its values for a map) and, like upstream's
 *   generator writes it, a "Possible enum values" list in its description.
 * - the `default` of list-map key fields: upstream's generator gives every non-pointer
 *   field serialized without omitempty its zero value, and list-map keys are such
 *   fields (server-side apply fills a missing key from it); derived here from the key's
 *   type unless the table gives one (see LIST_MAP_KEYS_WITHOUT_DEFAULT).
 * - kinds the typings lack (the aggregator's APIService): read from client-node's model
 *   typings, which are class declarations with the same JSDoc (see SUPPLEMENTS).
 * - what Kubernetes 1.31 and 1.32 added after the newest typings (1.30): every field and
 *   type of the protobuf schema gen-protobuf extracts from the kubectl 1.32 binary
 *   (generated/protobuf/schema.json, so `npm run build` runs gen-protobuf first) that the
 *   typings lack, the kinds listed in NEW_KINDS, and the removal of the fields listed in
 *   REMOVED_PROPERTIES (src/apiserver/openapi/fromprotobuf.ts). The descriptions come from
 *   ADDED_DESCRIPTIONS (the descriptors carry none); the tables above apply to them too.
 *   Without the schema file, a warning, and the definitions are the typings' alone.
 * Any table entry naming a missing definition or property, any dangling $ref and any
 * type the reader does not understand is printed as a warning (the test wants none).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { loadSchemaFile } from '../src/apimachinery/protobuf/load.js';
import {
  ADDED_DESCRIPTIONS,
  DEFINITION_EXTENSIONS,
  ENUMS,
  EXTRA_GVKS,
  EXTRA_PROPERTIES,
  EXTRA_REQUIRED,
  FIELD_EXTENSIONS,
  LIST_MAP_KEYS_WITHOUT_DEFAULT,
  NEW_KINDS,
  REMOVED_PROPERTIES,
  fieldExtensionKeys,
  type FieldExtensions,
} from '../src/apiserver/openapi/extensions.js';
import { supplementFromProtobuf, type ProtobufSupplementResult } from '../src/apiserver/openapi/fromprotobuf.js';
import { DEFINITIONS_REF_PREFIX, stableStringify, type DefinitionsFile, type GVKExtension, type Schema } from '../src/apiserver/openapi/schema.js';

export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

export interface GenerateOptions {
  /** node_modules/kubernetes-types */
  typesDir: string;
  /** node_modules/@kubernetes/client-node/dist/gen/models, for integer formats (optional). */
  clientNodeModelsDir?: string;
  /**
   * generated/protobuf/schema.json (written by gen-protobuf from kubectl 1.32): the fields
   * and kinds newer than the typings. Undefined: not read. Missing: a warning.
   */
  protobufSchemaFile?: string;
}

export interface GenerateResult {
  file: DefinitionsFile;
  warnings: string[];
  /** What the protobuf schema added (undefined when it was not read). */
  protobuf?: ProtobufSupplementResult;
}

/** Upstream's Go package for a typings file, relative to the kubernetes-types root. */
export function packageForTypingsFile(rel: string): string | undefined {
  const p = rel.split(sep).join('/').replace(/\.d\.ts$/, '');
  switch (p) {
    case 'runtime':
      return 'io.k8s.apimachinery.pkg.runtime';
    case 'version':
      return 'io.k8s.apimachinery.pkg.version';
    case 'api/resource':
      return 'io.k8s.apimachinery.pkg.api.resource';
    case 'meta/v1':
      return 'io.k8s.apimachinery.pkg.apis.meta.v1';
    case 'apiextensions/v1':
      return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
  }
  const m = /^([a-z0-9]+)\/(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)$/.exec(p);
  if (m === null) return undefined;
  return `io.k8s.api.${m[1]}.${m[2]}`;
}

function listTypings(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** client-node model class name -> JSON field name -> upstream format. */
type FormatTable = Map<string, Map<string, string>>;

function loadClientNodeFormats(modelsDir: string | undefined): FormatTable | undefined {
  if (modelsDir === undefined || !existsSync(modelsDir)) return undefined;
  const table: FormatTable = new Map();
  for (const name of readdirSync(modelsDir).sort()) {
    if (!name.endsWith('.js')) continue;
    const text = readFileSync(join(modelsDir, name), 'utf8');
    const m = /\.attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(text);
    if (m === null || m[1] === undefined) continue;
    let attrs: { baseName?: string; format?: string }[];
    try {
      attrs = JSON.parse(m[1]) as { baseName?: string; format?: string }[];
    } catch {
      continue;
    }
    const fields = new Map<string, string>();
    for (const a of attrs) if (a.baseName !== undefined && a.format) fields.set(a.baseName, a.format);
    table.set(name.slice(0, -3), fields);
  }
  return table;
}

/** The client-node class names that may describe a definition, most specific first. */
function clientNodeCandidates(defName: string): string[] {
  const parts = defName.split('.');
  const typeName = parts[parts.length - 1] ?? '';
  const version = parts[parts.length - 2] ?? '';
  const group = parts[parts.length - 3] ?? '';
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  if (!/^v[0-9]/.test(version)) return [];
  return [`${cap(group)}${cap(version)}${typeName}`, `${cap(version)}${typeName}`];
}

interface Context {
  checker: ts.TypeChecker;
  typesDir: string;
  formats: FormatTable | undefined;
  warnings: string[];
  /** Definition being generated and the property being typed (for formats and warnings). */
  defName: string;
  propName: string;
  /** Numbers client-node has no format for (published as int32). */
  unknownNumbers: string[];
  /** While reading a supplement: its client-node class (for formats) and name mapping. */
  supplement?: { cls: string; names: Readonly<Record<string, string>> };
}

function docOf(ctx: Context, node: ts.Declaration & { name?: ts.Node }): string | undefined {
  const sym = node.name === undefined ? undefined : ctx.checker.getSymbolAtLocation(node.name);
  if (sym === undefined) return undefined;
  let text = ts.displayPartsToString(sym.getDocumentationComment(ctx.checker)).trim();
  // client-node's generated comments escape quotes (server\'s, \"v1\").
  if (ctx.supplement !== undefined) text = text.replace(/\\(['"])/g, '$1');
  return text === '' ? undefined : text;
}

function definitionNameFor(ctx: Context, decl: ts.Declaration, name: string): string | undefined {
  const pkg = packageForTypingsFile(relative(ctx.typesDir, decl.getSourceFile().fileName));
  return pkg === undefined ? undefined : `${pkg}.${name}`;
}

function formatFor(ctx: Context): string | undefined {
  if (ctx.formats === undefined) return undefined;
  const candidates = ctx.supplement === undefined ? clientNodeCandidates(ctx.defName) : [ctx.supplement.cls];
  for (const cand of candidates) {
    const fields = ctx.formats.get(cand);
    if (fields !== undefined) return fields.get(ctx.propName);
  }
  return undefined;
}

function numberSchema(ctx: Context): Schema {
  const f = formatFor(ctx);
  if (f === undefined && ctx.formats !== undefined) ctx.unknownNumbers.push(`${ctx.defName}.${ctx.propName}`);
  if (f === 'double' || f === 'float') return { type: 'number', format: f };
  if (f === 'int64') return { type: 'integer', format: 'int64' };
  return { type: 'integer', format: 'int32' };
}

function stringSchema(ctx: Context): Schema {
  const f = formatFor(ctx);
  return f === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
}

function isStringLiteral(node: ts.TypeNode): boolean {
  return ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal);
}

/** The schema of a type written in the typings (a property's type, an item, a map value). */
function schemaForType(ctx: Context, node: ts.TypeNode): Schema {
  if (ts.isParenthesizedTypeNode(node)) return schemaForType(ctx, node.type);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return stringSchema(ctx);
    case ts.SyntaxKind.NumberKeyword:
      return numberSchema(ctx);
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
  }
  if (isStringLiteral(node)) return { type: 'string' };
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: schemaForType(ctx, node.elementType) };
  if (ts.isUnionTypeNode(node)) {
    const kinds = node.types.map((t) => t.kind).sort();
    if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) {
      return { $ref: DEFINITIONS_REF_PREFIX + INT_OR_STRING };
    }
    if (node.types.every(isStringLiteral)) return { type: 'string' };
  }
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index !== undefined && node.members.length === 1) {
      return { type: 'object', additionalProperties: schemaForType(ctx, index.type) };
    }
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === 'Array' && node.typeArguments?.length === 1 && node.typeArguments[0] !== undefined) {
      return { type: 'array', items: schemaForType(ctx, node.typeArguments[0]) };
    }
    if (ctx.supplement !== undefined) {
      const mapped = ctx.supplement.names[name];
      if (mapped !== undefined) return { $ref: DEFINITIONS_REF_PREFIX + mapped };
    }
    let sym = ctx.checker.getSymbolAtLocation(node.typeName);
    if (sym !== undefined && sym.flags & ts.SymbolFlags.Alias) sym = ctx.checker.getAliasedSymbol(sym);
    const decl = sym?.declarations?.[0];
    if (sym !== undefined && decl !== undefined) {
      const def = definitionNameFor(ctx, decl, sym.getName());
      if (def !== undefined) return { $ref: DEFINITIONS_REF_PREFIX + def };
    }
  }
  ctx.warnings.push(`${ctx.defName}.${ctx.propName}: unsupported type '${node.getText()}', left untyped`);
  return {};
}

/** Adds a description to a property schema, as upstream lays them out. */
function withDoc(schema: Schema, description: string | undefined): Schema {
  return description === undefined ? schema : { ...schema, description };
}

/**
 * The description of an enum field as upstream's generator writes it: the field's own
 * text, then the sorted values (upstream also appends each constant's comment).
 */
export function withEnumValues(description: string | undefined, values: readonly string[]): string {
  const list = ['Possible enum values:', ...values.map((v) => ` - \`${JSON.stringify(v)}\``)].join('\n');
  return description === undefined || description === '' ? list : `${description}\n\n${list}`;
}

/** A property schema with the table's extensions, enum and default applied. */
function withFieldExtensions(schema: Schema, ext: FieldExtensions): Schema {
  const out: Schema = { ...schema, ...fieldExtensionKeys(ext) };
  const values = ext.enum === undefined ? undefined : ENUMS[ext.enum];
  if (values !== undefined) {
    if (out.type === 'array' && out.items !== undefined) out.items = { ...out.items, enum: [...values] };
    else if (out.type === 'object' && typeof out.additionalProperties === 'object') out.additionalProperties = { ...out.additionalProperties, enum: [...values] };
    else {
      out.enum = [...values];
      out.description = withEnumValues(out.description, values);
    }
  }
  if (ext.default !== undefined) out.default = ext.default;
  return out;
}

function gvkFromLiterals(members: readonly ts.TypeElement[]): GVKExtension | undefined {
  let apiVersion: string | undefined;
  let kind: string | undefined;
  for (const m of members) {
    if (!ts.isPropertySignature(m) || m.type === undefined || !ts.isLiteralTypeNode(m.type) || !ts.isStringLiteral(m.type.literal)) continue;
    const prop = m.name.getText();
    if (prop === 'apiVersion') apiVersion = m.type.literal.text;
    if (prop === 'kind') kind = m.type.literal.text;
  }
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', kind, version: apiVersion }
    : { group: apiVersion.slice(0, slash), kind, version: apiVersion.slice(slash + 1) };
}

function interfaceSchema(ctx: Context, decl: ts.InterfaceDeclaration | ts.ClassDeclaration, defName: string, gvkOverride?: GVKExtension): Schema {
  const schema: Schema = { type: 'object' };
  const description = docOf(ctx, decl);
  if (description !== undefined) schema.description = description;
  const tableFields = FIELD_EXTENSIONS[defName] ?? {};
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const m of decl.members as ts.NodeArray<ts.TypeElement | ts.ClassElement>) {
    if (ts.isConstructorDeclaration(m) || (ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword))) continue;
    if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) || m.type === undefined) {
      ctx.warnings.push(`${defName}: skipped member '${m.getText().slice(0, 60)}'`);
      continue;
    }
    const prop = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
    ctx.defName = defName;
    ctx.propName = prop;
    properties[prop] = withDoc(schemaForType(ctx, m.type), docOf(ctx, m));
    if (m.questionToken === undefined) required.push(prop);
  }
  for (const [prop, extra] of Object.entries(EXTRA_PROPERTIES[defName] ?? {})) properties[prop] = extra;
  for (const [prop, ext] of Object.entries(tableFields)) {
    const p = properties[prop];
    if (p !== undefined) properties[prop] = withFieldExtensions(p, ext);
  }
  for (const prop of EXTRA_REQUIRED[defName] ?? []) if (!required.includes(prop)) required.push(prop);
  // An empty interface is an opaque object upstream (RawExtension, FieldsV1, Patch),
  // except JSON, which is any JSON value and so has no type.
  if (Object.keys(properties).length > 0) schema.properties = properties;
  else if (defName.endsWith('.apiextensions.v1.JSON')) delete schema.type;
  if (required.length > 0) schema.required = required;
  const gvk = gvkOverride ?? (ts.isInterfaceDeclaration(decl) ? gvkFromLiterals(decl.members) : undefined);
  const gvks = EXTRA_GVKS[defName] ?? (gvk === undefined ? undefined : [gvk]);
  if (gvks !== undefined) schema['x-kubernetes-group-version-kind'] = gvks.map((g) => ({ ...g }));
  const defExt = DEFINITION_EXTENSIONS[defName];
  if (defExt !== undefined) schema['x-kubernetes-map-type'] = defExt.mapType;
  return schema;
}

function aliasSchema(ctx: Context, decl: ts.TypeAliasDeclaration, defName: string): Schema {
  const description = docOf(ctx, decl);
  const base: Schema = description === undefined ? {} : { description };
  if (defName.endsWith('.meta.v1.Time') || defName.endsWith('.meta.v1.MicroTime')) return { ...base, type: 'string', format: 'date-time' };
  if (decl.type.kind === ts.SyntaxKind.StringKeyword) return { ...base, type: 'string' };
  // JSONSchemaPropsOrArray / OrBool / OrStringArray: unions upstream publishes untyped.
  return base;
}

function intOrStringSchema(): Schema {
  return {
    description:
      'IntOrString holds either an int32 or a string. In JSON and YAML it is written as whichever of the two it holds, so a field can accept a name or a number (for example a port).',
    format: 'int-or-string',
    type: 'string',
  };
}

const APIREGISTRATION = 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.';
const APISERVICE_GVK = (kind: string): GVKExtension => ({ group: 'apiregistration.k8s.io', kind, version: 'v1' });

/**
 * Kinds kubelite serves that kubernetes-types lacks, read from @kubernetes/client-node's
 * generated model typings (same JSDoc, class syntax): the aggregator's APIService.
 */
const SUPPLEMENTS: { cls: string; def: string; gvk?: GVKExtension }[] = [
  { cls: 'V1APIService', def: APIREGISTRATION + 'APIService', gvk: APISERVICE_GVK('APIService') },
  { cls: 'V1APIServiceList', def: APIREGISTRATION + 'APIServiceList', gvk: APISERVICE_GVK('APIServiceList') },
  { cls: 'V1APIServiceSpec', def: APIREGISTRATION + 'APIServiceSpec' },
  { cls: 'V1APIServiceStatus', def: APIREGISTRATION + 'APIServiceStatus' },
  { cls: 'V1APIServiceCondition', def: APIREGISTRATION + 'APIServiceCondition' },
  { cls: 'ApiregistrationV1ServiceReference', def: APIREGISTRATION + 'ServiceReference' },
];
/** The client-node class names the supplements refer to, as definition names. */
const SUPPLEMENT_NAMES: Record<string, string> = {
  Date: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  V1ObjectMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  V1ListMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
  ...Object.fromEntries(SUPPLEMENTS.map((x) => [x.cls, x.def])),
};

/** Reads every typing and returns the definitions (not yet serialized). */
export function generateDefinitions(opts: GenerateOptions): GenerateResult {
  const files = listTypings(opts.typesDir);
  const supplementFiles =
    opts.clientNodeModelsDir === undefined ? [] : SUPPLEMENTS.map((x) => join(opts.clientNodeModelsDir as string, `${x.cls}.d.ts`)).filter((f) => existsSync(f));
  const program = ts.createProgram([...files, ...supplementFiles], { noEmit: true, noLib: true, noResolve: true, types: [], skipLibCheck: true });
  const ctx: Context = {
    checker: program.getTypeChecker(),
    typesDir: opts.typesDir,
    formats: loadClientNodeFormats(opts.clientNodeModelsDir),
    warnings: [],
    defName: '',
    propName: '',
    unknownNumbers: [],
  };
  if (ctx.formats === undefined) ctx.warnings.push('@kubernetes/client-node models not found: every number is published as int32');
  const definitions: Record<string, Schema> = {};
  for (const file of files) {
    const sf = program.getSourceFile(file);
    const pkg = packageForTypingsFile(relative(opts.typesDir, file));
    if (sf === undefined || pkg === undefined) {
      ctx.warnings.push(`${relative(opts.typesDir, file)}: no upstream package, skipped`);
      continue;
    }
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) {
        const name = `${pkg}.${st.name.text}`;
        definitions[name] = interfaceSchema(ctx, st, name);
      } else if (ts.isTypeAliasDeclaration(st)) {
        const name = `${pkg}.${st.name.text}`;
        definitions[name] = aliasSchema(ctx, st, name);
      }
    }
  }
  definitions[INT_OR_STRING] = intOrStringSchema();
  for (const sup of SUPPLEMENTS) {
    const file = opts.clientNodeModelsDir === undefined ? undefined : program.getSourceFile(join(opts.clientNodeModelsDir, `${sup.cls}.d.ts`));
    const decl = file?.statements.find((st): st is ts.ClassDeclaration => ts.isClassDeclaration(st) && st.name?.text === sup.cls);
    if (decl === undefined) {
      ctx.warnings.push(`${sup.def}: @kubernetes/client-node model ${sup.cls} not found, not published`);
      continue;
    }
    ctx.supplement = { cls: sup.cls, names: SUPPLEMENT_NAMES };
    definitions[sup.def] = interfaceSchema(ctx, decl, sup.def, sup.gvk);
    ctx.supplement = undefined;
  }
  if (ctx.unknownNumbers.length > 0) {
    const list = [...new Set(ctx.unknownNumbers)].sort();
    ctx.warnings.push(`${list.length} numbers without a known format, published as int32: ${list.join(', ')}`);
  }
  const protobuf = addProtobufFields(definitions, opts.protobufSchemaFile, ctx.warnings);
  addListMapKeyDefaults(definitions, ctx.warnings);
  checkTables(definitions, ctx.warnings, protobuf !== undefined);
  const version = readPackageVersion(join(opts.typesDir, 'package.json'));
  const source = `kubernetes-types@${version}` + (protobuf === undefined ? '' : ` + protobuf schema of ${protobuf.binary}`);
  const out: GenerateResult = { file: { source, definitions }, warnings: ctx.warnings };
  if (protobuf !== undefined) out.protobuf = protobuf.result;
  return out;
}

/** What `kubectl explain` shows for a kind the typings predate (the protobuf schema has no prose). */
export function newKindDescription(gvk: GVKExtension): string {
  const gv = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
  if (gvk.kind.endsWith('List')) return `${gvk.kind} is a list of ${gv} ${gvk.kind.slice(0, -'List'.length)} objects.`;
  return `${gvk.kind} (${gv}), a kind newer than the kubernetes-types typings: its fields come from the Kubernetes 1.32 protobuf schema, which carries no field descriptions.`;
}

/** The kind whose TypeMeta and metadata descriptions new kinds reuse (a List's: its list). */
const TYPE_META_TEMPLATE = 'io.k8s.api.core.v1.ConfigMap';
const LIST_TEMPLATE = 'io.k8s.api.core.v1.ConfigMapList';

/**
 * Adds the fields and kinds of the protobuf schema the typings lack (see
 * src/apiserver/openapi/fromprotobuf.ts), then gives them what the tables know:
 * descriptions, list/map types, patch strategies, enums and defaults.
 */
function addProtobufFields(
  definitions: Record<string, Schema>,
  file: string | undefined,
  warnings: string[],
): { result: ProtobufSupplementResult; binary: string } | undefined {
  if (file === undefined) return undefined;
  if (!existsSync(file)) {
    warnings.push(`${file} not found (gen-protobuf runs first in npm run build): fields and kinds newer than the typings are not published`);
    return undefined;
  }
  let messages;
  let binary: string;
  try {
    const schema = loadSchemaFile(file);
    messages = schema.messages;
    binary = `kubectl sha256:${schema.source.sha256.slice(0, 12)}`;
  } catch (e) {
    warnings.push(`${file}: ${(e as Error).message}; fields and kinds newer than the typings are not published`);
    return undefined;
  }
  const result = supplementFromProtobuf(definitions, messages, { newKinds: NEW_KINDS, removedProperties: REMOVED_PROPERTIES });
  warnings.push(...result.warnings);
  const decorate = (def: string, prop: string): void => {
    const d = definitions[def];
    const p = d?.properties?.[prop];
    if (d === undefined || p === undefined || d.properties === undefined) return;
    let out = withDoc(p, ADDED_DESCRIPTIONS[def]?.[prop]);
    const ext = FIELD_EXTENSIONS[def]?.[prop];
    if (ext !== undefined) out = withFieldExtensions(out, ext);
    d.properties[prop] = out;
  };
  for (const key of result.addedProperties) {
    const dot = key.lastIndexOf('.');
    decorate(key.slice(0, dot), key.slice(dot + 1));
  }
  for (const def of result.addedDefinitions) {
    const d = definitions[def] as Schema;
    const gvks = d['x-kubernetes-group-version-kind'];
    if (Array.isArray(gvks)) {
      const template = definitions[def.endsWith('List') ? LIST_TEMPLATE : TYPE_META_TEMPLATE]?.properties ?? {};
      for (const prop of ['apiVersion', 'kind', 'metadata']) {
        const desc = template[prop]?.description;
        const p = d.properties?.[prop];
        if (p !== undefined && desc !== undefined && d.properties !== undefined) d.properties[prop] = { ...p, description: desc };
      }
    }
    const description = ADDED_DESCRIPTIONS[def]?.[''] ?? (Array.isArray(gvks) ? newKindDescription(gvks[0] as GVKExtension) : undefined);
    if (description !== undefined) d.description = description;
    for (const prop of Object.keys(d.properties ?? {})) decorate(def, prop);
    const defExt = DEFINITION_EXTENSIONS[def];
    if (defExt !== undefined) d['x-kubernetes-map-type'] = defExt.mapType;
  }
  return { result, binary };
}

/** The definition a `$ref` points at (undefined for inline schemas and other refs). */
function refTarget(schema: Schema | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' && ref.startsWith(DEFINITIONS_REF_PREFIX) ? ref.slice(DEFINITIONS_REF_PREFIX.length) : undefined;
}

const ZERO_VALUES: Readonly<Record<string, string | number | boolean>> = { string: '', integer: 0, number: 0, boolean: false };

/**
 * Gives every list-map key field its zero value as `default` unless it already has one
 * (a `+default` marker) or its Go field is omitempty (LIST_MAP_KEYS_WITHOUT_DEFAULT).
 */
function addListMapKeyDefaults(definitions: Record<string, Schema>, warnings: string[]): void {
  const without = new Set(LIST_MAP_KEYS_WITHOUT_DEFAULT);
  for (const [defName, d] of Object.entries(definitions)) {
    for (const [propName, p] of Object.entries(d.properties ?? {})) {
      const keys = p['x-kubernetes-list-map-keys'];
      if (p['x-kubernetes-list-type'] !== 'map' || !Array.isArray(keys)) continue;
      const itemDef = refTarget(p.items);
      const item = itemDef === undefined ? undefined : definitions[itemDef];
      if (itemDef === undefined || item === undefined) {
        warnings.push(`${defName}.${propName}: list map items are not a definition`);
        continue;
      }
      for (const key of keys as string[]) {
        const kp = item.properties?.[key];
        if (kp === undefined) {
          warnings.push(`${defName}.${propName}: list map key ${key} is not a property of ${itemDef}`);
          continue;
        }
        if (kp.default !== undefined || without.has(`${itemDef}.${key}`)) continue;
        const zero = kp.type === undefined ? undefined : ZERO_VALUES[kp.type];
        if (zero === undefined) warnings.push(`${itemDef}.${key}: list map key of type ${String(kp.type)} has no zero value`);
        else (item.properties as Record<string, Schema>)[key] = { ...kp, default: zero };
      }
    }
  }
}

/** What a table says about a property must fit the property's schema. */
function checkFieldExtensions(where: string, p: Schema, ext: FieldExtensions, warnings: string[]): void {
  const problem = (what: string): number => warnings.push(`extensions table: ${where} ${what}`);
  if ((ext.listType !== undefined || ext.listMapKeys !== undefined) && p.type !== 'array') problem('has a list type but is not an array');
  if (ext.mapType !== undefined && p.type !== 'object' && p.$ref === undefined) problem('has a map type but is not an object');
  if (ext.enum !== undefined) {
    const target = p.type === 'array' ? p.items : p.type === 'object' && typeof p.additionalProperties === 'object' ? p.additionalProperties : p;
    if (ENUMS[ext.enum] === undefined) problem(`names unknown enum ${ext.enum}`);
    else if (target?.type !== 'string') problem('has an enum but holds no strings');
  }
  if (ext.default !== undefined) {
    const want = typeof ext.default === 'number' ? ['integer', 'number'] : [typeof ext.default];
    if (p.type === undefined || !want.includes(p.type)) problem(`default ${JSON.stringify(ext.default)} does not fit type ${String(p.type)}`);
  }
}

/** Every table entry must name a real definition and property, and fit it: catches typos. */
function checkTables(definitions: Record<string, Schema>, warnings: string[], protobufRead: boolean): void {
  // Without the protobuf schema the entries for 1.31/1.32 fields name nothing: counted, not listed.
  let unmatched = 0;
  const missing = (what: string): void => {
    if (protobufRead) warnings.push(what);
    else unmatched++;
  };
  const usedEnums = new Set<string>();
  for (const [def, fields] of Object.entries(FIELD_EXTENSIONS)) {
    const d = definitions[def];
    if (d === undefined) {
      missing(`extensions table: no definition ${def}`);
      for (const ext of Object.values(fields)) if (ext.enum !== undefined) usedEnums.add(ext.enum);
      continue;
    }
    for (const [f, ext] of Object.entries(fields)) {
      const p = d.properties?.[f];
      if (p === undefined) missing(`extensions table: ${def} has no property ${f}`);
      else checkFieldExtensions(`${def}.${f}`, p, ext, warnings);
      if (ext.enum !== undefined) usedEnums.add(ext.enum);
    }
  }
  for (const name of Object.keys(ENUMS)) if (!usedEnums.has(name)) warnings.push(`extensions table: enum ${name} is used by no field`);
  for (const def of [...Object.keys(DEFINITION_EXTENSIONS), ...Object.keys(EXTRA_PROPERTIES), ...Object.keys(EXTRA_GVKS)]) {
    if (definitions[def] === undefined) warnings.push(`extensions table: no definition ${def}`);
  }
  for (const [def, props] of Object.entries(EXTRA_REQUIRED)) {
    for (const p of props) if (definitions[def]?.properties?.[p] === undefined) warnings.push(`extensions table: required ${def}.${p} is no property`);
  }
  for (const key of LIST_MAP_KEYS_WITHOUT_DEFAULT) {
    const dot = key.lastIndexOf('.');
    if (definitions[key.slice(0, dot)]?.properties?.[key.slice(dot + 1)] === undefined) warnings.push(`extensions table: no property ${key}`);
  }
  for (const [def, props] of Object.entries(ADDED_DESCRIPTIONS)) {
    const d = definitions[def];
    if (d === undefined) missing(`descriptions table: no definition ${def}`);
    else for (const p of Object.keys(props)) if (p !== '' && d.properties?.[p] === undefined) missing(`descriptions table: ${def} has no property ${p}`);
  }
  if (unmatched > 0) warnings.push(`${unmatched} table entries name fields or definitions only the protobuf schema provides`);
  const known = new Set(Object.keys(definitions).map((n) => DEFINITIONS_REF_PREFIX + n));
  const dangling = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && !known.has(x)) dangling.add(x);
        else visit(x);
      }
    }
  };
  visit(definitions);
  for (const r of [...dangling].sort()) warnings.push(`dangling reference ${r}`);
}

function readPackageVersion(file: string): string {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The bytes written to definitions.json. */
export function serializeDefinitions(file: DefinitionsFile): string {
  return stableStringify(file) + '\n';
}

/** The nearest ancestor of `start` holding package.json and node_modules/kubernetes-types. */
export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules', 'kubernetes-types', 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`gen-openapi: no package.json with node_modules/kubernetes-types above ${start}`);
    dir = up;
  }
}

function main(argv: string[]): void {
  const started = process.hrtime.bigint();
  const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 && argv[outIndex + 1] !== undefined ? resolve(argv[outIndex + 1] as string) : join(root, 'generated', 'openapi', 'definitions.json');
  const { file, warnings, protobuf } = generateDefinitions({
    typesDir: join(root, 'node_modules', 'kubernetes-types'),
    clientNodeModelsDir: join(root, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models'),
    protobufSchemaFile: join(root, 'generated', 'protobuf', 'schema.json'),
  });
  for (const w of warnings) console.warn(`gen-openapi: warning: ${w}`);
  const text = serializeDefinitions(file);
  mkdirSync(dirname(out), { recursive: true });
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  if (previous !== text) writeFileSync(out, text);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (protobuf !== undefined) {
    console.log(
      `gen-openapi: from the protobuf schema: ${protobuf.addedProperties.length} properties and ${protobuf.addedDefinitions.length} definitions added, ` +
        `${protobuf.removedProperties.length} removed properties dropped`,
    );
  }
  console.log(
    `gen-openapi: ${Object.keys(file.definitions).length} definitions from ${file.source}, ${text.length} bytes -> ${relative(root, out)}` +
      `${previous === text ? ' (unchanged)' : ''} in ${ms.toFixed(0)} ms`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}

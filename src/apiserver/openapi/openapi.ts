/**
 * The OpenAPI documents the server publishes, built once from the generated
 * definitions (generated/openapi/definitions.json, see scripts/gen-openapi.ts) and the
 * resource table, and kept serialized with their ETags:
 *
 *   GET /openapi/v2                 Swagger 2.0, every served path and definition
 *                                   (JSON, or gnostic protobuf for client-go)
 *   GET /openapi/v3                 the index: {"paths": {"apis/apps/v1":
 *                                   {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=<etag>"}}}
 *   GET /openapi/v3/apis/apps/v1    OpenAPI 3.0 for one group-version, with only the
 *                                   schemas its paths reach (transitively)
 *
 * What clients read (kubectl 1.32, helm 3.17, client-go):
 * - `kubectl create|apply|replace -f` (validation on, the default): GET /openapi/v3,
 *   then the object's group-version document; if any PATCH operation carrying the
 *   object's x-kubernetes-group-version-kind lists a `fieldValidation` parameter, the
 *   server is trusted to validate and the request is sent with ?fieldValidation=Strict.
 *   Otherwise kubectl validates client-side against /openapi/v2 (protobuf).
 * - `kubectl apply` (client-side) computes its strategic merge patch from the v3
 *   schema when that PATCH operation accepts application/strategic-merge-patch+json.
 * - `kubectl explain`: the index, the group-version document, the GVK of the resource's
 *   operations, then the component schema whose x-kubernetes-group-version-kind lists it;
 *   a field's `enum` becomes its ENUM section.
 *
 * Both versions carry `enum` (upstream's OpenAPIEnums gate is on by default); only v3
 * carries `default`, as upstream's v2 document leaves defaults out.
 * - kubectl up to 1.28 and client-go's DiscoveryClient.OpenAPISchema() fetch
 *   /openapi/v2 as protobuf only (JSON fails to decode, 406 falls back to a 404 path).
 */
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../api/types.js';
import { findDefinitionsFile, loadDefinitions } from '../../apimachinery/strategicpatch.js';
import { EVERY_GROUP_VERSION_KINDS } from './extensions.js';
import {
  API_RESOURCE_LIST_DEF,
  DELETE_OPTIONS_DEF,
  STATUS_DEF,
  WATCH_EVENT_DEF,
  discoveryPath,
  groupVersionPath,
  renderV2,
  renderV3,
  resourcePaths,
  type PathItem,
  type PathOptions,
} from './paths.js';
import { encodeSwaggerV2 } from './protobuf.js';
import { COMPONENTS_REF_PREFIX, DEFINITIONS_REF_PREFIX, forEachRef, stableStringify, type GVKExtension, type Schema } from './schema.js';

export interface OpenAPIServiceOptions {
  /** Every served resource (RESOURCES from src/api/resources.ts). */
  resources: readonly ResourceInfo[];
  /**
   * Defaults to <repo>/generated/openapi/definitions.json, found upward; read through
   * apimachinery's loadDefinitions, so the process parses it once for every reader.
   */
  definitionsPath?: string;
  /**
   * List application/strategic-merge-patch+json among each PATCH operation's request
   * types (upstream does, for built-in kinds). kubectl apply then computes its patch
   * from our x-kubernetes-patch-* metadata instead of its compiled-in Go types; set
   * false to make kubectl fall back to its own (complete) tables. Default true.
   */
  strategicMergePatch?: boolean;
  /** info.version of the documents (upstream puts the server's git version). */
  version?: string;
  /**
   * Feature gates by name, as discovery takes them: a subresource with a featureGate is
   * published unless its gate is false here.
   */
  featureGates?: Readonly<Record<string, boolean>>;
}

/** One serialized document. */
export interface OpenAPIDocument {
  readonly body: Buffer;
  /** SHA-512 of the JSON body, upper-case hex, as upstream (unquoted). */
  readonly etag: string;
  readonly contentType: string;
}

/** An HTTP-agnostic answer from serve(). */
export interface OpenAPIResponse {
  status: 200 | 301 | 304 | 404 | 406;
  headers: Record<string, string>;
  body: Buffer;
}

export interface OpenAPIRequest {
  /** URL path, e.g. '/openapi/v3/apis/apps/v1'. */
  path: string;
  /** The query string (with or without '?') or its parsed form; only `hash` is read. */
  query?: string | URLSearchParams;
  accept?: string;
  ifNoneMatch?: string;
}

export interface OpenAPIStats {
  definitions: number;
  /** Milliseconds to read and parse definitions.json. */
  loadMs: number;
  /** Document sizes in bytes (only those built so far). */
  bytes: Record<string, number>;
  /** Kinds served with no generated schema (published as preserve-unknown-fields objects). */
  missingKinds: string[];
}

export const CONTENT_TYPE_JSON = 'application/json';
export const CONTENT_TYPE_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_PROTOBUF_SUBTYPES = ['com.github.proto-openapi.spec.v2.v1.0+protobuf', 'com.github.proto-openapi.spec.v2@v1.0+protobuf'];

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

interface GroupVersionEntry {
  group: string;
  version: string;
  items: PathItem[];
}

interface Loaded {
  definitions: Record<string, Schema>;
  groupVersions: Map<string, GroupVersionEntry>;
  missingKinds: string[];
  loadMs: number;
  lastModified: string;
}

export class OpenAPIService {
  private readonly resources: readonly ResourceInfo[];
  private readonly definitionsPath: string | undefined;
  private readonly pathOptions: PathOptions;
  private readonly version: string;
  private readonly featureGates: Readonly<Record<string, boolean>>;
  private loaded: Loaded | undefined;
  private v2Doc: OpenAPIDocument | undefined;
  private v2Pb: OpenAPIDocument | undefined;
  private readonly v3Docs = new Map<string, OpenAPIDocument>();
  private indexDoc: OpenAPIDocument | undefined;

  constructor(opts: OpenAPIServiceOptions) {
    if (!Array.isArray(opts.resources)) throw new TypeError('OpenAPIService: resources must be an array');
    this.resources = opts.resources;
    this.definitionsPath = opts.definitionsPath;
    this.pathOptions = { strategicMergePatch: opts.strategicMergePatch ?? true };
    this.version = opts.version ?? 'unversioned';
    this.featureGates = opts.featureGates ?? {};
  }

  /** Swagger 2.0 JSON. */
  v2(): Buffer {
    return this.v2Document().body;
  }

  v2Document(): OpenAPIDocument {
    if (this.v2Doc === undefined) this.v2Doc = jsonDocument(this.buildV2());
    return this.v2Doc;
  }

  /** Swagger 2.0 as a gnostic openapi.v2.Document; its ETag is the JSON's, as upstream. */
  v2ProtobufDocument(): OpenAPIDocument {
    if (this.v2Pb === undefined) {
      const json = this.v2Document();
      const body = encodeSwaggerV2(JSON.parse(json.body.toString('utf8')) as Record<string, unknown>);
      this.v2Pb = { body, etag: json.etag, contentType: CONTENT_TYPE_V2_PROTOBUF };
    }
    return this.v2Pb;
  }

  /** The /openapi/v3 index. */
  v3Index(): Buffer {
    return this.v3IndexDocument().body;
  }

  v3IndexDocument(): OpenAPIDocument {
    if (this.indexDoc === undefined) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const gv of this.groupVersionPaths()) {
        const doc = this.v3Document(gv);
        if (doc !== undefined) paths[gv] = { serverRelativeURL: serverRelativeURL(gv, doc.etag) };
      }
      this.indexDoc = jsonDocument({ paths });
    }
    return this.indexDoc;
  }

  /** The OpenAPI 3.0 document of 'api/v1', 'apis/apps/v1', ...; undefined if not served. */
  v3(gvPath: string): Buffer | undefined {
    return this.v3Document(gvPath)?.body;
  }

  v3Document(gvPath: string): OpenAPIDocument | undefined {
    const key = gvPath.replace(/^\/+|\/+$/g, '');
    const cached = this.v3Docs.get(key);
    if (cached !== undefined) return cached;
    const gv = this.load().groupVersions.get(key);
    if (gv === undefined) return undefined;
    const doc = jsonDocument(this.buildV3(gv));
    this.v3Docs.set(key, doc);
    return doc;
  }

  /** The index keys: 'api/v1', 'apis/apps/v1', ... sorted. */
  groupVersionPaths(): string[] {
    return [...this.load().groupVersions.keys()].sort();
  }

  /** Builds every document now (instead of on first request). */
  warm(): void {
    this.v3IndexDocument();
    this.v2ProtobufDocument();
  }

  stats(): OpenAPIStats {
    const l = this.load();
    const bytes: Record<string, number> = {};
    if (this.v2Doc !== undefined) bytes['v2'] = this.v2Doc.body.length;
    if (this.v2Pb !== undefined) bytes['v2.pb'] = this.v2Pb.body.length;
    if (this.indexDoc !== undefined) bytes['v3'] = this.indexDoc.body.length;
    for (const [k, d] of [...this.v3Docs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) bytes[`v3/${k}`] = d.body.length;
    return { definitions: Object.keys(l.definitions).length, loadMs: l.loadMs, bytes, missingKinds: [...l.missingKinds] };
  }

  /**
   * Answers GET /openapi/v2, /openapi/v3 and /openapi/v3/<group-version> as upstream's
   * handlers do (kube-openapi handler and handler3): Accept negotiation (406 when
   * nothing fits), quoted ETag + If-None-Match (304), `Vary: Accept`; a v3 request
   * whose `?hash=` is stale is redirected (301) to the current one, and a current one
   * is cacheable forever. Returns undefined for paths it does not own.
   */
  serve(req: OpenAPIRequest): OpenAPIResponse | undefined {
    const path = req.path.replace(/\/+$/, '');
    if (path === '/openapi/v2') {
      const choice = negotiate(req.accept, ['json', ...V2_PROTOBUF_SUBTYPES]);
      if (choice === undefined) return notAcceptable();
      return this.respond(choice === 'json' ? this.v2Document() : this.v2ProtobufDocument(), req);
    }
    if (path === '/openapi/v3') return this.respond(this.v3IndexDocument(), req);
    if (!path.startsWith('/openapi/v3/')) return undefined;
    const gv = path.slice('/openapi/v3/'.length);
    if (negotiate(req.accept, ['json']) === undefined) return notAcceptable();
    const doc = this.v3Document(gv);
    if (doc === undefined) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('404 page not found\n') };
    const query = typeof req.query === 'string' ? new URLSearchParams(req.query.replace(/^\?/, '')) : req.query;
    const hash = query?.get('hash') ?? '';
    const extra: Record<string, string> = {};
    if (hash !== '') {
      if (hash !== doc.etag) {
        const location = serverRelativeURL(gv, doc.etag);
        return { status: 301, headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(`<a href="${location}">Moved Permanently</a>.\n\n`) };
      }
      extra['Cache-Control'] = 'public, immutable';
      extra['Expires'] = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
    }
    return this.respond(doc, req, extra);
  }

  private respond(doc: OpenAPIDocument, req: OpenAPIRequest, extra: Record<string, string> = {}): OpenAPIResponse {
    const etag = `"${doc.etag}"`;
    const headers: Record<string, string> = { ETag: etag, Vary: 'Accept', 'Last-Modified': this.load().lastModified, ...extra };
    if (req.ifNoneMatch !== undefined && etagMatches(req.ifNoneMatch, doc.etag)) return { status: 304, headers, body: Buffer.alloc(0) };
    return { status: 200, headers: { ...headers, 'Content-Type': doc.contentType }, body: doc.body };
  }

  // ---- building ---------------------------------------------------------------

  private load(): Loaded {
    if (this.loaded !== undefined) return this.loaded;
    const started = performance.now();
    const file = this.definitionsPath ?? findDefinitionsFile();
    let shared: Readonly<Record<string, Schema>>;
    try {
      if (file === undefined) throw new Error('no generated/openapi/definitions.json above the server module');
      shared = loadDefinitions(file) as Readonly<Record<string, Schema>>;
    } catch (err) {
      const where = file ?? 'generated/openapi/definitions.json';
      throw new Error(`OpenAPIService: cannot read ${where} (run \`npm run build\`, which runs scripts/gen-openapi): ${(err as Error).message}`);
    }
    // The parsed definitions are shared with strategic merge patch and the unknown-field
    // checks: entries this service adds or changes go into its own copy.
    const definitions: Record<string, Schema> = { ...shared };
    const loadMs = performance.now() - started;

    const byGVK = new Map<string, string>();
    for (const name of Object.keys(definitions).sort()) {
      const gvks = definitions[name]?.['x-kubernetes-group-version-kind'];
      if (!Array.isArray(gvks)) continue;
      for (const g of gvks as GVKExtension[]) if (!byGVK.has(gvkKey(g))) byGVK.set(gvkKey(g), name);
    }
    const missing = new Set<string>();
    const resolve = (g: GVKExtension): string => {
      const found = byGVK.get(gvkKey(g));
      if (found !== undefined) return found;
      const name = `io.k8s.kubelite.unpublished.${g.group === '' ? 'core' : g.group}.${g.version}.${g.kind}`;
      if (definitions[name] === undefined) {
        definitions[name] = {
          description: `kubelite publishes no schema for ${g.group === '' ? '' : g.group + '/'}${g.version} ${g.kind}.`,
          type: 'object',
          'x-kubernetes-group-version-kind': [{ group: g.group, kind: g.kind, version: g.version }],
          'x-kubernetes-preserve-unknown-fields': true,
        };
        missing.add(`${g.group === '' ? '' : g.group + '/'}${g.version}/${g.kind}`);
      }
      return name;
    };

    const groupVersions = new Map<string, GroupVersionEntry>();
    for (const r of this.resources) {
      const key = groupVersionPath(r.group, r.version);
      let gv = groupVersions.get(key);
      if (gv === undefined) {
        gv = { group: r.group, version: r.version, items: [discoveryPath(r.group, r.version)] };
        groupVersions.set(key, gv);
      }
      const subresources = r.subresources.filter((s) => s.featureGate === undefined || this.featureGates[s.featureGate] !== false);
      gv.items.push(...resourcePaths(subresources.length === r.subresources.length ? r : { ...r, subresources }, resolve));
    }

    // DeleteOptions and WatchEvent are registered in every group-version upstream.
    const everyGV: GVKExtension[] = [{ group: '', kind: '', version: 'v1' }];
    for (const gv of [...groupVersions.values()].sort((a, b) => (gvKeyOf(a) < gvKeyOf(b) ? -1 : 1))) {
      if (!everyGV.some((g) => g.group === gv.group && g.version === gv.version)) everyGV.push({ group: gv.group, kind: '', version: gv.version });
    }
    for (const name of EVERY_GROUP_VERSION_KINDS) {
      const d = definitions[name];
      if (d === undefined) continue;
      const kind = name.slice(name.lastIndexOf('.') + 1);
      definitions[name] = { ...d, 'x-kubernetes-group-version-kind': everyGV.map((g) => ({ group: g.group, kind, version: g.version })) };
    }

    this.loaded = { definitions, groupVersions, missingKinds: [...missing].sort(), loadMs, lastModified: new Date().toUTCString() };
    return this.loaded;
  }

  private buildV2(): Record<string, unknown> {
    const l = this.load();
    const paths: Record<string, unknown> = {};
    const roots = new Set<string>([STATUS_DEF, DELETE_OPTIONS_DEF, WATCH_EVENT_DEF, API_RESOURCE_LIST_DEF]);
    for (const gv of l.groupVersions.values()) {
      for (const item of gv.items) {
        paths[item.path] = renderV2(item, this.pathOptions);
        collectPathRefs(item, roots);
      }
    }
    const definitions: Record<string, Schema> = {};
    for (const name of closure(l.definitions, roots)) definitions[name] = toV2Definition(l.definitions[name] as Schema);
    return {
      definitions,
      info: { title: 'Kubernetes', version: this.version },
      paths,
      security: [{ BearerToken: [] }],
      securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
      swagger: '2.0',
    };
  }

  private buildV3(gv: GroupVersionEntry): Record<string, unknown> {
    const l = this.load();
    const paths: Record<string, unknown> = {};
    const roots = new Set<string>();
    for (const item of gv.items) {
      paths[item.path] = renderV3(item, this.pathOptions);
      collectPathRefs(item, roots);
    }
    const schemas: Record<string, Schema> = {};
    for (const name of closure(l.definitions, roots)) schemas[name] = toV3Definition(name, l.definitions[name] as Schema);
    return {
      components: {
        schemas,
        securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
      },
      info: { title: 'Kubernetes', version: this.version },
      openapi: '3.0.0',
      paths,
      security: [{ BearerToken: [] }],
    };
  }
}

// ---- helpers -------------------------------------------------------------------

function jsonDocument(value: unknown): OpenAPIDocument {
  const body = Buffer.from(stableStringify(value), 'utf8');
  return { body, etag: createHash('sha512').update(body).digest('hex').toUpperCase(), contentType: CONTENT_TYPE_JSON };
}

function serverRelativeURL(gvPath: string, etag: string): string {
  return `/openapi/v3/${gvPath}?hash=${etag}`;
}

function gvkKey(g: GVKExtension): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

function gvKeyOf(g: { group: string; version: string }): string {
  return `${g.group}/${g.version}`;
}

function collectPathRefs(item: PathItem, into: Set<string>): void {
  for (const op of item.ops) {
    if (op.requestBody !== undefined) into.add(op.requestBody.def);
    for (const r of op.responses) if (r.body !== undefined && r.body !== 'string') into.add(r.body);
  }
}

/** The definitions reachable from `roots` through $refs, sorted. */
function closure(definitions: Record<string, Schema>, roots: Set<string>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    const d = definitions[name];
    if (d === undefined) continue;
    seen.add(name);
    forEachRef(d, (ref) => {
      if (ref.startsWith(DEFINITIONS_REF_PREFIX)) stack.push(ref.slice(DEFINITIONS_REF_PREFIX.length));
    });
  }
  return [...seen].sort();
}

/**
 * A definition as /openapi/v2 publishes it: without `default`, which upstream's v2
 * document leaves out (its v3 documents carry them).
 */
export function toV2Definition(s: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    switch (k) {
      case 'default':
        break;
      case 'properties': {
        const props: Record<string, Schema> = {};
        for (const [pk, pv] of Object.entries(v as Record<string, Schema>)) props[pk] = toV2Definition(pv);
        out.properties = props;
        break;
      }
      case 'items':
      case 'not':
        out[k] = toV2Definition(v as Schema);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof v === 'boolean' ? v : toV2Definition(v as Schema);
        break;
      case 'allOf':
      case 'oneOf':
      case 'anyOf':
        out[k] = (v as Schema[]).map(toV2Definition);
        break;
      default:
        out[k] = v;
    }
  }
  return out;
}

/**
 * A Swagger 2.0 definition as OpenAPI 3.0: refs point into components/schemas, a ref
 * with siblings (a property's description, patch metadata) is wrapped in allOf as
 * upstream does, and IntOrString/Quantity become upstream's oneOf types.
 */
export function toV3Definition(name: string, s: Schema): Schema {
  if (name === INT_OR_STRING) {
    return { ...descriptionOf(s), format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  if (name === QUANTITY) return { ...descriptionOf(s), oneOf: [{ type: 'string' }, { type: 'number' }] };
  return toV3Schema(s);
}

function descriptionOf(s: Schema): Schema {
  return s.description === undefined ? {} : { description: s.description };
}

function toV3Schema(s: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    switch (k) {
      case '$ref':
        out.$ref = typeof v === 'string' && v.startsWith(DEFINITIONS_REF_PREFIX) ? COMPONENTS_REF_PREFIX + v.slice(DEFINITIONS_REF_PREFIX.length) : (v as string);
        break;
      case 'properties': {
        const props: Record<string, Schema> = {};
        for (const [pk, pv] of Object.entries(v as Record<string, Schema>)) props[pk] = toV3Schema(pv);
        out.properties = props;
        break;
      }
      case 'items':
        out.items = toV3Schema(v as Schema);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof v === 'boolean' ? v : toV3Schema(v as Schema);
        break;
      case 'allOf':
      case 'oneOf':
      case 'anyOf':
        out[k] = (v as Schema[]).map(toV3Schema);
        break;
      case 'not':
        out.not = toV3Schema(v as Schema);
        break;
      default:
        out[k] = v;
    }
  }
  if (typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { ...rest, allOf: [{ $ref }] };
  }
  return out;
}

interface Clause {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

/**
 * Picks the first offer (subtypes of `application/`) the Accept header allows, in the
 * header's preference order (q, then specificity), as upstream's goautoneg loop does.
 * A missing header means any.
 */
export function negotiate(accept: string | undefined, offers: string[]): string | undefined {
  const clauses: Clause[] = [];
  const header = accept === undefined || accept.trim() === '' ? '*/*' : accept;
  header.split(',').forEach((part, index) => {
    const [mt, ...params] = part.split(';').map((x) => x.trim());
    if (mt === undefined || mt === '') return;
    const slash = mt.indexOf('/');
    const type = (slash < 0 ? mt : mt.slice(0, slash)).toLowerCase();
    const subtype = (slash < 0 ? '*' : mt.slice(slash + 1)).toLowerCase();
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/i.exec(p);
      if (m !== null && m[1] !== undefined) q = Number(m[1]);
    }
    if (q > 0) clauses.push({ type, subtype, q, index });
  });
  const specificity = (c: Clause): number => (c.type === '*' ? 0 : c.subtype === '*' ? 1 : 2);
  clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.index - b.index);
  for (const c of clauses) {
    if (c.type !== 'application' && c.type !== '*') continue;
    for (const o of offers) if (c.subtype === '*' || c.subtype === o) return o;
  }
  return undefined;
}

function etagMatches(ifNoneMatch: string, etag: string): boolean {
  for (const raw of ifNoneMatch.split(',')) {
    const t = raw.trim().replace(/^W\//, '');
    if (t === '*' || t === `"${etag}"`) return true;
  }
  return false;
}

function notAcceptable(): OpenAPIResponse {
  return { status: 406, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.alloc(0) };
}

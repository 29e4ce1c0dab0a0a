/**
 * Field selectors per resource: which labels a list/watch may select on, how each
 * label reads from an object, and the exact 400 message upstream gives for the rest.
 *
 * Upstream has two layers, and kubelite keeps both behaviours:
 *   1. the per-kind field label conversion (pkg/apis/<group>/<version>/conversion.go,
 *      AddFieldLabelConversionFunc) decides which labels are accepted, renames aliases
 *      and produces the error text; kinds without one fall back to
 *      runtime.DefaultMetaV1FieldSelectorConversion (metadata.name, metadata.namespace);
 *   2. the strategy's ToSelectableFields (pkg/registry/<group>/<resource>/strategy.go)
 *      computes the values. A label accepted by (1) but absent from (2) reads as "".
 * Facts checked against upstream (1.32 era):
 *   - pods: spec.nodeName (alias spec.host), spec.restartPolicy, spec.schedulerName,
 *     spec.serviceAccountName, spec.hostNetwork ("true"/"false"), status.phase,
 *     status.podIP (the first of status.podIPs), status.nominatedNodeName.
 *     status.podIPs is accepted but upstream never fills it, so it is always "".
 *   - nodes: metadata.name, spec.unschedulable -- metadata.namespace is rejected.
 *   - namespaces: metadata.name, status.phase -- metadata.namespace is rejected.
 *   - replicationcontrollers: status.replicas. secrets: type.
 *   - services: spec.clusterIP (1.30), spec.type (1.31).
 *   - core events: involvedObject.{kind,namespace,name,uid,apiVersion,resourceVersion,
 *     fieldPath}, reason, reportingComponent, source (source.component, else the
 *     reporting controller), type.
 *   - events.k8s.io events: the same values under their v1 names (regarding.*,
 *     reportingController), plus reason, source, type; involvedObject.* is rejected.
 *   - jobs: status.successful (= status.succeeded); its own message
 *     `field label "<f>" not supported for Job`.
 *   - certificatesigningrequests: metadata.name, spec.signerName.
 *   - replicasets: upstream's strategy computes status.replicas but apps/v1 registers
 *     no conversion, so a 1.32 server rejects it with the default message
 *     (kubernetes/kubernetes#135136). kubelite answers the same.
 */

import { StatusError, errors } from '../apimachinery/errors.js';
import { RESOURCES } from './resources.js';

/**
 * Reads one selectable field of an object as the string a field selector compares
 * against: "" when the object lacks it, undefined when the label is not supported.
 */
export type FieldGetter = (obj: unknown, field: string) => string | undefined;

type Reader = (obj: Obj) => string;
type Obj = Record<string, unknown>;

interface Spec {
  /** Accepted labels (as clients send them) and how each reads. */
  fields: Readonly<Record<string, Reader>>;
  /** The 400 message for an unsupported label. */
  reject: (field: string) => string;
}

// ---- reading plain JSON objects ------------------------------------------------

function get(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}

/** A string field, "" when absent (Go's zero value). */
function str(obj: unknown, ...path: string[]): string {
  const v = get(obj, ...path);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** An integer field, "0" when absent (Go's strconv.Itoa of the zero value). */
function int(obj: unknown, ...path: string[]): string {
  const v = get(obj, ...path);
  return typeof v === 'number' ? String(Math.trunc(v)) : typeof v === 'string' && v !== '' ? v : '0';
}

/** A boolean field, "false" when absent (Go's fmt.Sprint / FormatBool). */
function bool(obj: unknown, ...path: string[]): string {
  return get(obj, ...path) === true ? 'true' : 'false';
}

function firstNonEmpty(...values: string[]): string {
  return values.find((v) => v !== '') ?? '';
}

// ---- messages ------------------------------------------------------------------

/** Go's %q for the strings field labels are made of. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Upstream's message for most kinds with their own conversion: `field label not supported: <field>`. */
export function fieldLabelNotSupportedMessage(field: string): string {
  return `field label not supported: ${field}`;
}

/** Upstream's message for kinds with no conversion of their own. */
export function unknownFieldSelectorMessage(field: string): string {
  return `${goQuote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

// ---- specs ------------------------------------------------------------------------

const name: Reader = (o) => str(o, 'metadata', 'name');
const namespace: Reader = (o) => str(o, 'metadata', 'namespace');

const defaultSpec: Spec = {
  fields: { 'metadata.name': name, 'metadata.namespace': namespace },
  reject: unknownFieldSelectorMessage,
};

function notSupported(fields: Record<string, Reader>): Spec {
  return { fields, reject: fieldLabelNotSupportedMessage };
}

const podNodeName: Reader = (o) => str(o, 'spec', 'nodeName');

/**
 * Events are read in either wire shape, core v1 (involvedObject, reportingComponent,
 * source) or events.k8s.io/v1 (regarding, reportingController, deprecatedSource),
 * since both groups share one storage.
 */
const ev = {
  ref: (o: Obj, f: string) => str(get(o, 'regarding') ?? get(o, 'involvedObject'), f),
  reporting: (o: Obj) => firstNonEmpty(str(o, 'reportingComponent'), str(o, 'reportingController')),
  source: (o: Obj) =>
    firstNonEmpty(str(o, 'source', 'component'), str(o, 'deprecatedSource', 'component'), ev.reporting(o)),
};

const refFields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

function eventFields(prefix: 'involvedObject' | 'regarding', reportingLabel: string): Record<string, Reader> {
  const out: Record<string, Reader> = {};
  for (const f of refFields) out[`${prefix}.${f}`] = (o) => ev.ref(o, f);
  out['reason'] = (o) => str(o, 'reason');
  out[reportingLabel] = ev.reporting;
  out['source'] = ev.source;
  out['type'] = (o) => str(o, 'type');
  out['metadata.namespace'] = namespace;
  out['metadata.name'] = name;
  return out;
}

const specs = new Map<string, Spec>([
  [
    '/pods',
    notSupported({
      'metadata.name': name,
      'metadata.namespace': namespace,
      'spec.nodeName': podNodeName,
      'spec.restartPolicy': (o) => str(o, 'spec', 'restartPolicy'),
      'spec.schedulerName': (o) => str(o, 'spec', 'schedulerName'),
      // v1's deprecated spec.serviceAccount stands in when serviceAccountName is empty.
      'spec.serviceAccountName': (o) =>
        firstNonEmpty(str(o, 'spec', 'serviceAccountName'), str(o, 'spec', 'serviceAccount')),
      'spec.hostNetwork': (o) => bool(o, 'spec', 'hostNetwork'),
      'status.phase': (o) => str(o, 'status', 'phase'),
      'status.podIP': (o) => firstNonEmpty(str(get(o, 'status', 'podIPs', '0'), 'ip'), str(o, 'status', 'podIP')),
      'status.podIPs': () => '',
      'status.nominatedNodeName': (o) => str(o, 'status', 'nominatedNodeName'),
      // Old v1 clients send spec.host; upstream renames it to spec.nodeName.
      'spec.host': podNodeName,
    }),
  ],
  ['/nodes', notSupported({ 'metadata.name': name, 'spec.unschedulable': (o) => bool(o, 'spec', 'unschedulable') })],
  [
    '/replicationcontrollers',
    notSupported({
      'metadata.name': name,
      'metadata.namespace': namespace,
      'status.replicas': (o) => int(o, 'status', 'replicas'),
    }),
  ],
  ['/events', notSupported(eventFields('involvedObject', 'reportingComponent'))],
  ['/namespaces', notSupported({ 'status.phase': (o) => str(o, 'status', 'phase'), 'metadata.name': name })],
  ['/secrets', notSupported({ type: (o) => str(o, 'type'), 'metadata.namespace': namespace, 'metadata.name': name })],
  [
    '/services',
    notSupported({
      'metadata.namespace': namespace,
      'metadata.name': name,
      'spec.clusterIP': (o) => str(o, 'spec', 'clusterIP'),
      'spec.type': (o) => str(o, 'spec', 'type'),
    }),
  ],
  ['events.k8s.io/events', notSupported(eventFields('regarding', 'reportingController'))],
  [
    'batch/jobs',
    {
      fields: {
        'metadata.name': name,
        'metadata.namespace': namespace,
        'status.successful': (o) => int(o, 'status', 'succeeded'),
      },
      reject: (f) => `field label ${goQuote(f)} not supported for Job`,
    },
  ],
  [
    'certificates.k8s.io/certificatesigningrequests',
    notSupported({ 'metadata.name': name, 'spec.signerName': (o) => str(o, 'spec', 'signerName') }),
  ],
]);

const builtIn = new Set(RESOURCES.map((r) => `${r.group}/${r.resource}`));

function specFor(group: string, resource: string): Spec | undefined {
  const key = `${group}/${resource}`;
  return specs.get(key) ?? (builtIn.has(key) ? defaultSpec : undefined);
}

// ---- API ------------------------------------------------------------------------

/**
 * The labels a field selector may use on a built-in resource (as clients send them,
 * aliases included), or undefined for a resource not in the table (custom resources
 * have their own rules: metadata.* plus the CRD's selectableFields).
 */
export function supportedFields(group: string, resource: string): readonly string[] | undefined {
  const spec = specFor(group, resource);
  return spec === undefined ? undefined : Object.keys(spec.fields);
}

/** Whether upstream accepts this label in a field selector on this resource. */
export function isSupportedField(group: string, resource: string, field: string): boolean {
  const spec = specFor(group, resource);
  return spec !== undefined && Object.hasOwn(spec.fields, field);
}

/**
 * A getter for one resource's selectable fields, or undefined for a resource not in
 * the table. The getter takes the object in its JSON wire shape and the label as the
 * client sent it; it returns the value to compare (never undefined for a supported
 * label) or undefined for an unsupported one.
 */
export function fieldGetter(group: string, resource: string): FieldGetter | undefined {
  const spec = specFor(group, resource);
  if (spec === undefined) return undefined;
  return (obj, field) => {
    if (!Object.hasOwn(spec.fields, field)) return undefined;
    const read = spec.fields[field] as Reader;
    return read(typeof obj === 'object' && obj !== null ? (obj as Obj) : {});
  };
}

/** The getter for resources without their own rules (metadata.name and metadata.namespace). */
export const defaultFieldGetter: FieldGetter = (obj, field) => {
  const read = Object.hasOwn(defaultSpec.fields, field) ? defaultSpec.fields[field] : undefined;
  return read === undefined ? undefined : read(typeof obj === 'object' && obj !== null ? (obj as Obj) : {});
};

/**
 * The exact message upstream gives when a list/watch selects on an unsupported label
 * of this resource: `field label not supported: <f>` for most kinds with rules of
 * their own, `"<f>" is not a known field selector: only "metadata.name",
 * "metadata.namespace"` for the rest, `field label "<f>" not supported for Job` for jobs.
 */
export function unsupportedFieldMessage(group: string, resource: string, field: string): string {
  return (specFor(group, resource) ?? defaultSpec).reject(field);
}

/** The 400 BadRequest upstream answers an unsupported field label with. */
export function unsupportedFieldError(group: string, resource: string, field: string): StatusError {
  return errors.badRequest(unsupportedFieldMessage(group, resource, field));
}

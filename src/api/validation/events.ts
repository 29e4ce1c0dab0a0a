/**
 * Events, core/v1 and events.k8s.io/v1, as upstream's ValidateEventCreate/Update: every
 * write passes the legacy checks (namespace agreement; for events with an eventTime the
 * reporting fields); writes through events.k8s.io/v1 also get the strict ones (eventTime
 * required, type Normal or Warning, deprecated fields unset, most fields immutable).
 * Upstream validates the internal object, so paths use its field names (involvedObject,
 * message, reportingController) whichever API wrote the event; core/v1 reads
 * reportingComponent, as upstream's legacy check names it for that version.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { FIELD_IMMUTABLE_ERROR_MSG, isDNS1123Subdomain, isQualifiedName } from '../../apimachinery/validation.js';
import { goQuote, invalidGo, isObj, str, type Obj } from './util.js';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** The internal core.Event fields validation reads, from either API's form. */
interface Internal {
  namespace: string;
  involvedObject: Obj;
  reason: string;
  message: string;
  source: Obj;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  count: number;
  type: string;
  eventTime: unknown;
  series: unknown;
  action: string;
  reportingController: string;
  reportingInstance: string;
}

function internal(ev: Obj, eventsAPI: boolean): Internal {
  const o = (v: unknown): Obj => (isObj(v) ? v : {});
  const g = (core: string, events: string): unknown => (eventsAPI ? ev[events] : ev[core]);
  return {
    namespace: str(o(ev.metadata).namespace),
    involvedObject: o(g('involvedObject', 'regarding')),
    reason: str(ev.reason),
    message: str(g('message', 'note')),
    source: o(g('source', 'deprecatedSource')),
    firstTimestamp: g('firstTimestamp', 'deprecatedFirstTimestamp'),
    lastTimestamp: g('lastTimestamp', 'deprecatedLastTimestamp'),
    count: Number(g('count', 'deprecatedCount') ?? 0) || 0,
    type: str(ev.type),
    eventTime: ev.eventTime,
    series: ev.series,
    action: str(ev.action),
    reportingController: str(g('reportingComponent', 'reportingController')),
    reportingInstance: str(ev.reportingInstance),
  };
}

function isSet(t: unknown): boolean {
  return typeof t === 'string' && t !== '' && !t.startsWith('0001-01-01T00:00:00');
}

function byteLen(s: string): number {
  return Buffer.byteLength(s);
}

function legacyValidate(e: Internal, reportingField: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(e.involvedObject.namespace);
  const mismatch = field.invalid('involvedObject.namespace', ns, 'does not match event.namespace');
  if (!isSet(e.eventTime)) {
    // Old-style events: cluster-scoped objects' events may live in "default", for old clients.
    if (ns === '') {
      if (e.namespace !== '' && e.namespace !== 'default') errs.push(mismatch);
    } else if (e.namespace !== ns) errs.push(mismatch);
  } else {
    if (ns === '' && e.namespace !== 'default' && e.namespace !== 'kube-system') errs.push(mismatch);
    if (e.reportingController === '') errs.push(field.required(reportingField));
    for (const m of isQualifiedName(e.reportingController)) errs.push(field.invalid(reportingField, e.reportingController, m));
    if (e.reportingInstance === '') errs.push(field.required('reportingInstance'));
    if (byteLen(e.reportingInstance) > REPORTING_INSTANCE_LIMIT) {
      errs.push(field.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    }
    if (e.action === '') errs.push(field.required('action'));
    if (byteLen(e.action) > ACTION_LIMIT) errs.push(field.invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    if (e.reason === '') errs.push(field.required('reason'));
    if (byteLen(e.reason) > REASON_LIMIT) errs.push(field.invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if (byteLen(e.message) > NOTE_LIMIT) errs.push(field.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const m of isDNS1123Subdomain(e.namespace)) errs.push(field.invalid('namespace', e.namespace, m));
  return errs;
}

function validateSeries(e: Internal): FieldError[] {
  if (!isObj(e.series)) return [];
  const errs: FieldError[] = [];
  if ((Number(e.series.count) || 0) < 2) errs.push(field.invalid('series.count', '', 'should be at least 2'));
  if (!isSet(e.series.lastObservedTime)) errs.push(field.required('series.lastObservedTime'));
  return errs;
}

/** core/v1 Event: the legacy checks only (upstream keeps them lenient for old clients). */
export function validateCoreEvent(ev: Obj): FieldError[] {
  return legacyValidate(internal(ev, false), 'reportingComponent');
}

export function validateEventsEvent(ev: Obj): FieldError[] {
  const e = internal(ev, true);
  const errs = legacyValidate(e, 'reportingController');
  errs.push(...validateSeries(e));
  if (!isSet(e.eventTime)) errs.push(field.required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(field.invalid('type', '', `has invalid value: ${e.type}`));
  if (isSet(e.firstTimestamp)) errs.push(field.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (isSet(e.lastTimestamp)) errs.push(field.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (e.count !== 0) errs.push(field.invalid('deprecatedCount', '', 'needs to be unset'));
  if (str(e.source.component) !== '' || str(e.source.host) !== '') errs.push(field.invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

/** time.Time's String(): "2006-01-02 15:04:05.999999999 +0000 UTC" (times are stored in UTC). */
function goTime(t: unknown): string {
  const s = typeof t === 'string' && t !== '' ? t : '0001-01-01T00:00:00Z';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(s);
  if (m === null) return s;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return `${m[1]} ${m[2]}${frac === '' ? '' : `.${frac}`} +0000 UTC`;
}

function goObjectReference(r: Obj): string {
  const f = (k: string): string => goQuote(str(r[k]));
  return `core.ObjectReference{Kind:${f('kind')}, Namespace:${f('namespace')}, Name:${f('name')}, UID:${f('uid')}, APIVersion:${f('apiVersion')}, ResourceVersion:${f('resourceVersion')}, FieldPath:${f('fieldPath')}}`;
}

function sameRef(a: Obj, b: Obj): boolean {
  return ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].every((k) => str(a[k]) === str(b[k]));
}

/** eventTime compared at microsecond precision (clients that truncate may round-trip it). */
function micros(t: unknown): string {
  const m = /^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(typeof t === 'string' ? t : '');
  if (m === null) return '';
  return `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}`;
}

export function validateEventsEventUpdate(ev: Obj, old: Obj): FieldError[] {
  const e = internal(ev, true);
  const o = internal(old, true);
  const errs = legacyValidate(e, 'reportingController');
  if (JSON.stringify(e.series ?? null) !== JSON.stringify(o.series ?? null)) errs.push(...validateSeries(e));
  const immutable = (path: string, same: boolean, goValue: string): void => {
    if (!same) errs.push(invalidGo(path, goValue, FIELD_IMMUTABLE_ERROR_MSG));
  };
  immutable('involvedObject', sameRef(e.involvedObject, o.involvedObject), goObjectReference(e.involvedObject));
  immutable('reason', e.reason === o.reason, goQuote(e.reason));
  immutable('message', e.message === o.message, goQuote(e.message));
  const sameSource = str(e.source.component) === str(o.source.component) && str(e.source.host) === str(o.source.host);
  immutable('source', sameSource, `core.EventSource{Component:${goQuote(str(e.source.component))}, Host:${goQuote(str(e.source.host))}}`);
  immutable('firstTimestamp', goTime(e.firstTimestamp) === goTime(o.firstTimestamp), goTime(e.firstTimestamp));
  immutable('lastTimestamp', goTime(e.lastTimestamp) === goTime(o.lastTimestamp), goTime(e.lastTimestamp));
  immutable('count', e.count === o.count, String(e.count));
  // Upstream lists reason twice; a changed reason is reported twice.
  immutable('reason', e.reason === o.reason, goQuote(e.reason));
  immutable('type', e.type === o.type, goQuote(e.type));
  immutable('eventTime', micros(e.eventTime) === micros(o.eventTime), goTime(micros(e.eventTime) === '' ? undefined : `${micros(e.eventTime)}Z`));
  return errs;
}

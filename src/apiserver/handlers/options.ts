/**
 * Query options of write requests (CreateOptions, UpdateOptions, PatchOptions,
 * DeleteOptions) validated as upstream's handlers do before they touch the body or
 * the store: a bad value is 422 Invalid on the options kind, e.g.
 *
 *   CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"
 *
 * and a value that does not parse at all (a non-integer gracePeriodSeconds) is 400.
 */
import { StatusError, errors, type StatusCause } from '../../apimachinery/errors.js';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions' | 'ListOptions' | 'TableOptions';

/** One field error whose value is already rendered the way Go's field.Error prints it. */
export interface OptionError {
  type: 'Unsupported value' | 'Invalid value' | 'Forbidden' | 'Required value' | 'Too long';
  field: string;
  /** The value as Go prints it (%q for strings, %#v for slices); undefined for Forbidden. */
  shown?: string;
  detail: string;
}

const causeReason: Record<OptionError['type'], string> = {
  'Unsupported value': 'FieldValueNotSupported',
  'Invalid value': 'FieldValueInvalid',
  Forbidden: 'FieldValueForbidden',
  'Required value': 'FieldValueRequired',
  'Too long': 'FieldValueTooLong',
};

function body(e: OptionError): string {
  let s = e.type;
  if (e.shown !== undefined) s += `: ${e.shown}`;
  if (e.detail !== '') s += `: ${e.detail}`;
  return s;
}

/** 422 Invalid on "<kind>.meta.k8s.io", as errors.NewInvalid(GroupKind{meta.k8s.io, kind}, "", errs). */
export function invalidOptions(kind: OptionsKind, errs: OptionError[]): StatusError {
  const parts = errs.map((e) => `${e.field}: ${body(e)}`);
  const message = `${kind}.meta.k8s.io "" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
  const causes: StatusCause[] = errs.map((e) => ({ reason: causeReason[e.type], message: body(e), field: e.field }));
  return new StatusError(422, 'Invalid', message, { group: 'meta.k8s.io', kind, causes });
}

/**
 * What go-restful answers (through upstream's serviceErrorHandler) when no route takes
 * the method: a POST to an object's URL, a DELETE on a status subresource, ...
 */
export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** Go's %q of a string (close enough: JSON escaping). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %#v of a []string. */
export function goStringSlice(v: string[]): string {
  return `[]string{${v.map(goQuote).join(', ')}}`;
}

export function dryRunErrors(values: string[]): OptionError[] {
  if (values.every((v) => v === 'All')) return [];
  return [{ type: 'Unsupported value', field: 'dryRun', shown: goStringSlice(values), detail: 'supported values: "All"' }];
}

const FIELD_VALIDATION = ['', 'Ignore', 'Strict', 'Warn'];

export function fieldValidationErrors(v: string | null): OptionError[] {
  if (v === null || FIELD_VALIDATION.includes(v)) return [];
  return [{ type: 'Unsupported value', field: 'fieldValidation', shown: goQuote(v), detail: `supported values: ${FIELD_VALIDATION.map(goQuote).join(', ')}` }];
}

export interface WriteOptions {
  dryRun: boolean;
}

const FIELD_MANAGER_MAX_LENGTH = 128;

/** upstream's ValidateFieldManager: at most 128 bytes, printable characters only. */
function fieldManagerErrors(m: string): OptionError[] {
  const errs: OptionError[] = [];
  if (Buffer.byteLength(m) > FIELD_MANAGER_MAX_LENGTH) {
    errs.push({ type: 'Too long', field: 'fieldManager', detail: `may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  let i = 0;
  for (const ch of m) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const cp = ch.codePointAt(0)!;
      errs.push({ type: 'Invalid value', field: 'fieldManager', shown: goQuote(m), detail: `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${i})` });
    }
    i += Buffer.byteLength(ch);
  }
  return errs;
}

/** Validates the query of a create/update/patch; throws 422 on a bad dryRun, fieldValidation or fieldManager. */
export function parseWriteOptions(kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', q: URLSearchParams): WriteOptions {
  const dry = q.getAll('dryRun');
  const errs = [...dryRunErrors(dry), ...fieldValidationErrors(q.get('fieldValidation')), ...fieldManagerErrors(q.get('fieldManager') ?? '')];
  if (errs.length > 0) throw invalidOptions(kind, errs);
  return { dryRun: dry.length > 0 };
}

export interface PatchOptions extends WriteOptions {
  /** ?force=true on an apply: take conflicting fields over. */
  force: boolean;
}

/** PatchOptions as upstream's ValidatePatchOptions: apply needs a fieldManager; only apply takes force. */
export function parsePatchOptions(q: URLSearchParams, apply: boolean): PatchOptions {
  const errs: OptionError[] = [];
  const force = q.get('force');
  if (!apply && force !== null && force !== '') errs.push({ type: 'Forbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  if (apply && (q.get('fieldManager') ?? '') === '') errs.push({ type: 'Required value', field: 'fieldManager', detail: 'is required for apply patch' });
  errs.push(...fieldManagerErrors(q.get('fieldManager') ?? ''), ...dryRunErrors(q.getAll('dryRun')), ...fieldValidationErrors(q.get('fieldValidation')));
  if (errs.length > 0) throw invalidOptions('PatchOptions', errs);
  return { dryRun: q.getAll('dryRun').length > 0, force: force === 'true' || force === '1' || force === 'True' || force === 'TRUE' || force === 't' || force === 'T' };
}

/**
 * The field manager of a write: ?fieldManager, else the User-Agent up to its first '/'
 * with unprintable characters dropped and cut to 128 bytes (upstream's managerOrUserAgent).
 */
export function managerOf(q: URLSearchParams, userAgent: string | undefined): string {
  const explicit = q.get('fieldManager') ?? '';
  if (explicit !== '') return explicit;
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0] ?? '') {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

/** Go's strconv.ParseInt for a query parameter; undefined when absent. */
export function parseIntParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?[0-9]+$/.test(v)) throw errors.badRequest(`unable to parse "${name}": strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`unable to parse "${name}": strconv.ParseInt: parsing ${goQuote(v)}: value out of range`);
  return n;
}

const PROPAGATION = ['Foreground', 'Background', 'Orphan'];

/** ValidateDeleteOptions: propagationPolicy, orphanDependents with a policy, dryRun. */
export function deleteOptionsErrors(o: { propagationPolicy?: string; orphanDependents?: boolean; dryRun?: string[] }): OptionError[] {
  const errs: OptionError[] = [];
  if (o.orphanDependents !== undefined && o.propagationPolicy !== undefined) {
    errs.push({ type: 'Invalid value', field: 'propagationPolicy', shown: goQuote(o.propagationPolicy), detail: 'orphanDependents and deletionPropagation cannot be both set' });
  }
  if (o.propagationPolicy !== undefined && !PROPAGATION.includes(o.propagationPolicy)) {
    errs.push({
      type: 'Unsupported value',
      field: 'propagationPolicy',
      shown: goQuote(o.propagationPolicy),
      detail: `supported values: ${[...PROPAGATION, 'nil'].map(goQuote).join(', ')}`,
    });
  }
  errs.push(...dryRunErrors(o.dryRun ?? []));
  return errs;
}

/** ValidateListOptions for a list (not a watch): resourceVersionMatch and sendInitialEvents. */
export function listOptionsErrors(q: URLSearchParams): OptionError[] {
  const errs: OptionError[] = [];
  const match = q.get('resourceVersionMatch') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  if (match !== '') {
    const forbid = (detail: string): void => void errs.push({ type: 'Forbidden', field: 'resourceVersionMatch', detail });
    if (rv === '') forbid('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if ((q.get('continue') ?? '') !== '') forbid('resourceVersionMatch is forbidden when continue is provided');
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      errs.push({ type: 'Unsupported value', field: 'resourceVersionMatch', shown: goQuote(match), detail: 'supported values: "Exact", "NotOlderThan", ""' });
    }
    if (match === 'Exact' && rv === '0') forbid('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  }
  if (q.has('sendInitialEvents')) errs.push({ type: 'Forbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for list' });
  return errs;
}

/**
 * Name and metadata validation with upstream's exact messages (apimachinery
 * pkg/util/validation, pkg/api/validate/content, pkg/api/validation/objectmeta.go).
 *
 * The is*() checks return a list of human-readable problems (empty when valid), as
 * upstream's do; callers turn them into FieldErrors. Lengths are counted in UTF-8
 * bytes because Go's len() counts bytes.
 */

import { field, type FieldError } from './errors.js';

// ---------------------------------------------------------------------------
// Message builders (validation.go)

/** "must be no more than N characters" */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** "must be non-empty" */
export function emptyError(): string {
  return 'must be non-empty';
}

/**
 * Upstream's RegexError, quirks included: with examples it renders
 * "(e.g. 'a',  or 'b', regex used for validation is '...')" (note the double space).
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// ---------------------------------------------------------------------------
// DNS names

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);

/** RFC 1123 label (namespace names, most "-label" names). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** RFC 1123 subdomain (most object names). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

/** RFC 1035 label (service names). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

// ---------------------------------------------------------------------------
// Qualified names (label keys) and label values

const labelKeyCharFmt = '[A-Za-z0-9]';
const labelKeyExtCharFmt = '[-A-Za-z0-9_.]';
const labelKeyFmt = `(${labelKeyCharFmt}${labelKeyExtCharFmt}*)?${labelKeyCharFmt}`;
const labelKeyErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelKeyMaxLength = 63;
const labelKeyRe = new RegExp(`^${labelKeyFmt}$`);

/** A "qualified name": [DNS-subdomain prefix '/'] name, as label keys, finalizers, annotation keys. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a valid label key ${regexError(labelKeyErrMsg, labelKeyFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLen(name) > labelKeyMaxLength) errs.push(`name part ${maxLenError(labelKeyMaxLength)}`);
  if (!labelKeyRe.test(name)) errs.push(`name part ${regexError(labelKeyErrMsg, labelKeyFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const labelValueFmt = `(${labelKeyFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRe = new RegExp(`^${labelValueFmt}$`);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

// ---------------------------------------------------------------------------
// Path-segment names (RBAC kinds and others that only need to be URL-safe)

/** Names that may not be used at all: "may not be '.'" / "may not be '..'". */
export function isValidPathSegmentName(name: string): string[] {
  for (const bad of ['.', '..']) if (name === bad) return [`may not be '${bad}'`];
  return isValidPathSegmentPrefix(name);
}

/** For generateName prefixes: only the substring rules apply. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

// ---------------------------------------------------------------------------
// Name functions, as apimachinery pkg/api/validation/generic.go

export type NameValidation = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

/** Upstream's quirk, kept: a trailing '-' on a prefix is masked by dropping TWO characters and adding 'a'. */
function maskTrailingDash(name: string): string {
  if (!name.endsWith('-')) return name;
  return name.length >= 2 ? `${name.slice(0, name.length - 2)}a` : 'a';
}

/** Returns the ValidateNameFunc for a resource's name rule; prefix=true validates a generateName. */
export function nameValidator(kind: NameValidation): (name: string, prefix: boolean) => string[] {
  switch (kind) {
    case 'dns1123-subdomain':
      return (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
    case 'dns1123-label':
      return (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
    case 'dns1035-label':
      return (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
    case 'path-segment':
      return (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));
  }
}

// ---------------------------------------------------------------------------
// ObjectMeta

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';

const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Upstream would have rejected these at decode time; we report them as type errors on the field. */
function typeInvalid(path: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field: path, value, detail };
}

/** Reads an optional string field; returns an error when present but not a string. */
function optString(obj: Record<string, unknown>, key: string, path: string, errs: FieldError[]): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') {
    errs.push(typeInvalid(`${path}.${key}`, v, 'must be of type string'));
    return '';
  }
  return v;
}

/** Reads an optional map[string]string; reports non-string values. */
function optStringMap(obj: Record<string, unknown>, key: string, path: string, errs: FieldError[]): Record<string, string> {
  const v = obj[key];
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) {
    errs.push(typeInvalid(`${path}.${key}`, v, 'must be of type object'));
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === null) {
      out[k] = '';
    } else if (typeof val !== 'string') {
      errs.push(typeInvalid(`${path}.${key}[${k}]`, val, 'must be of type string'));
    } else {
      out[k] = val;
    }
  }
  return out;
}

/** v1validation.ValidateLabels: every key a qualified name, every value a label value; errors on the map's path. */
export function validateLabels(labels: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(path, k, m));
    for (const m of isValidLabelValue(v)) errs.push(field.invalid(path, v, m));
  }
  return errs;
}

/** Annotation keys are qualified names checked case-insensitively; keys+values may not exceed 256 KiB. */
export function validateAnnotations(annotations: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, m));
    total += byteLen(k) + byteLen(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(field.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/** Splits an apiVersion as schema.ParseGroupVersion; undefined when malformed. */
function splitAPIVersion(apiVersion: string): { group: string; version: string } | undefined {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return undefined;
}

/**
 * Owner references: apiVersion must carry a version, kind/name/uid non-empty, core
 * v1 Event may not own anything, at most one controller. Paths carry no index (upstream).
 */
export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (refs === undefined || refs === null) return errs;
  if (!Array.isArray(refs)) return [typeInvalid(path, refs, 'must be of type array')];
  let firstController = '';
  for (const ref of refs) {
    if (!isRecord(ref)) {
      errs.push(typeInvalid(path, ref, 'must be of type object'));
      continue;
    }
    const apiVersion = optString(ref, 'apiVersion', path, errs);
    const kind = optString(ref, 'kind', path, errs);
    const name = optString(ref, 'name', path, errs);
    const uid = optString(ref, 'uid', path, errs);
    const gv = splitAPIVersion(apiVersion) ?? { group: '', version: '' };
    if (gv.version === '') errs.push(field.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') errs.push(field.invalid(`${path}.kind`, kind, 'must not be empty'));
    if (name === '') errs.push(field.invalid(`${path}.name`, name, 'must not be empty'));
    if (uid === '') errs.push(field.invalid(`${path}.uid`, uid, 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(field.invalid(path, ref, `${gv.group}/${gv.version}, Kind=${kind} is disallowed from being an owner`));
    }
    if (ref['controller'] === true) {
      const cur = `${kind}/${name}`;
      if (firstController !== '') {
        errs.push(
          field.invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      } else {
        firstController = cur;
      }
    }
  }
  return errs;
}

/** Finalizers are qualified names; "orphan" and "foregroundDeletion" are mutually exclusive. */
export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (finalizers === undefined || finalizers === null) return errs;
  if (!Array.isArray(finalizers)) return [typeInvalid(path, finalizers, 'must be of type array')];
  let orphan = false;
  let foreground = false;
  for (const f of finalizers) {
    if (typeof f !== 'string') {
      errs.push(typeInvalid(path, f, 'must be of type string'));
      continue;
    }
    for (const m of isQualifiedName(f)) errs.push(field.invalid(path, f, m));
    if (f === FINALIZER_ORPHAN_DEPENDENTS) orphan = true;
    if (f === FINALIZER_DELETE_DEPENDENTS) foreground = true;
  }
  if (orphan && foreground) {
    errs.push(
      field.invalid(
        path,
        finalizers,
        `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`,
      ),
    );
  }
  return errs;
}

export interface ObjectMetaValidationOptions {
  namespaced: boolean;
  nameValidation: NameValidation;
  /** Path of the metadata field; default "metadata". */
  path?: string;
}

/**
 * Validates metadata on create (upstream ValidateObjectMetaAccessor): generateName,
 * name, namespace, generation, labels, annotations, ownerReferences, finalizers, in
 * that order. Expects name generation to have happened already. `meta` is the raw
 * (unknown) metadata value; a missing one is treated as empty.
 */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaValidationOptions): FieldError[] {
  const path = opts.path ?? 'metadata';
  const errs: FieldError[] = [];
  if (meta !== undefined && meta !== null && !isRecord(meta)) {
    return [typeInvalid(path, meta, 'must be of type object')];
  }
  const m: Record<string, unknown> = isRecord(meta) ? meta : {};
  const nameFn = nameValidator(opts.nameValidation);

  const generateName = optString(m, 'generateName', path, errs);
  if (generateName !== '') {
    for (const msg of nameFn(generateName, true)) errs.push(field.invalid(`${path}.generateName`, generateName, msg));
  }
  const nErrs = errs.length;
  const name = optString(m, 'name', path, errs);
  if (errs.length > nErrs) {
    // A non-string name was already reported.
  } else if (name === '') errs.push(field.required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of nameFn(name, false)) errs.push(field.invalid(`${path}.name`, name, msg));

  const nsErrs = errs.length;
  const namespace = optString(m, 'namespace', path, errs);
  if (errs.length > nsErrs) {
    // A non-string namespace was already reported.
  } else if (opts.namespaced) {
    if (namespace === '') errs.push(field.required(`${path}.namespace`));
    else for (const msg of isDNS1123Label(namespace)) errs.push(field.invalid(`${path}.namespace`, namespace, msg));
  } else if (namespace !== '') {
    errs.push(field.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }

  const generation = m['generation'];
  if (generation !== undefined && generation !== null) {
    if (typeof generation !== 'number' || !Number.isInteger(generation)) {
      errs.push(typeInvalid(`${path}.generation`, generation, 'must be of type int64'));
    } else if (generation < 0) {
      errs.push(field.invalid(`${path}.generation`, generation, IS_NEGATIVE_ERROR_MSG));
    }
  }

  errs.push(...validateLabels(optStringMap(m, 'labels', path, errs), `${path}.labels`));
  errs.push(...validateAnnotations(optStringMap(m, 'annotations', path, errs), `${path}.annotations`));
  errs.push(...validateOwnerReferences(m['ownerReferences'], `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m['finalizers'], `${path}.finalizers`));
  return errs;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Validates metadata on update (upstream ValidateObjectMetaAccessorUpdate): no new
 * finalizers while deleting, resourceVersion required, generation not decremented,
 * name/namespace/uid/creationTimestamp/deletionTimestamp/deletionGracePeriodSeconds
 * immutable, then labels/annotations/ownerReferences/finalizers as on create.
 */
export function validateObjectMetaUpdate(newMeta: unknown, oldMeta: unknown, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(newMeta)) return [typeInvalid(path, newMeta, 'must be of type object')];
  const o: Record<string, unknown> = isRecord(oldMeta) ? oldMeta : {};
  const n = newMeta;

  if (o['deletionTimestamp'] !== undefined && o['deletionTimestamp'] !== null) {
    const oldF = new Set(Array.isArray(o['finalizers']) ? (o['finalizers'] as unknown[]) : []);
    const extra = [...new Set(Array.isArray(n['finalizers']) ? (n['finalizers'] as unknown[]) : [])]
      .filter((f) => !oldF.has(f))
      .map(String)
      .sort();
    if (extra.length > 0) {
      errs.push(
        field.forbidden(
          `${path}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((e) => JSON.stringify(e)).join(', ')}}`,
        ),
      );
    }
  }
  const rv = n['resourceVersion'];
  if (rv === undefined || rv === null || rv === '') {
    errs.push(field.invalid(`${path}.resourceVersion`, '', 'must be specified for an update'));
  }
  const ng = typeof n['generation'] === 'number' ? n['generation'] : 0;
  const og = typeof o['generation'] === 'number' ? o['generation'] : 0;
  if (ng < og) errs.push(field.invalid(`${path}.generation`, ng, 'must not be decremented'));

  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    const zero = f === 'name' || f === 'namespace' || f === 'uid' ? '' : null;
    const nv = n[f] ?? zero;
    if (!sameJSON(nv, o[f] ?? zero)) errs.push(field.invalid(`${path}.${f}`, nv, FIELD_IMMUTABLE_ERROR_MSG));
  }
  errs.push(...validateLabels(optStringMap(n, 'labels', path, errs), `${path}.labels`));
  errs.push(...validateAnnotations(optStringMap(n, 'annotations', path, errs), `${path}.annotations`));
  errs.push(...validateOwnerReferences(n['ownerReferences'], `${path}.ownerReferences`));
  errs.push(...validateFinalizers(n['finalizers'], `${path}.finalizers`));
  return errs;
}

/** storage.k8s.io/v1 StorageClass, as upstream's pkg/apis/storage/validation. */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { FIELD_IMMUTABLE_ERROR_MSG, isQualifiedName } from '../../apimachinery/validation.js';
import { deepEqual, isObj, objs, str, strMap, type Obj } from './util.js';

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

function validateParameters(params: unknown): FieldError[] {
  const m = strMap(params);
  const keys = Object.keys(m);
  if (keys.length > MAX_PARAMETERS) return [field.tooLong('parameters', MAX_PARAMETERS)];
  const errs: FieldError[] = [];
  let size = 0;
  for (const k of keys) {
    if (k === '') errs.push(field.invalid('parameters', k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(m[k] ?? '');
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(field.tooLong('parameters', MAX_PARAMETERS_SIZE));
  return errs;
}

/** ValidateTopologySelectorTerm: each requirement has values (no duplicates) and a qualified key, keys unique. */
function validateAllowedTopologies(terms: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen: Record<string, string[]>[] = [];
  objs(terms).forEach((term, i) => {
    const tp = `allowedTopologies[${i}]`;
    const exprs: Record<string, string[]> = {};
    objs(term.matchLabelExpressions).forEach((req, j) => {
      const p = `${tp}.matchLabelExpressions[${j}]`;
      const values = (Array.isArray(req.values) ? (req.values as unknown[]) : []).map((v) => str(v));
      if (values.length === 0) errs.push(field.required(`${p}.values`));
      values.forEach((v, k) => {
        if (values.indexOf(v) < k) errs.push(field.duplicate(`${p}.values[${k}]`, v));
      });
      const key = str(req.key);
      for (const m of isQualifiedName(key)) errs.push(field.invalid(`${p}.key`, key, m));
      if (key in exprs) errs.push(field.duplicate(`${p}.key`, key));
      exprs[key] = [...new Set(values)].sort();
    });
    if (seen.some((s) => deepEqual(s, exprs))) errs.push(field.duplicate(`${tp}.matchLabelExpressions`, ''));
    seen.push(exprs);
  });
  return errs;
}

export function validateStorageClass(sc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = str(sc.provisioner);
  if (provisioner === '') errs.push(field.required('provisioner'));
  else for (const m of isQualifiedName(provisioner.toLowerCase())) errs.push(field.invalid('provisioner', provisioner, m));
  errs.push(...validateParameters(sc.parameters));
  const reclaim = str(sc.reclaimPolicy);
  if (reclaim !== '' && !RECLAIM_POLICIES.includes(reclaim)) errs.push(field.notSupported('reclaimPolicy', reclaim, RECLAIM_POLICIES));
  if (sc.volumeBindingMode === undefined || sc.volumeBindingMode === null) errs.push(field.required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(str(sc.volumeBindingMode))) errs.push(field.notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
  errs.push(...validateAllowedTopologies(sc.allowedTopologies));
  return errs;
}

/** Upstream runs the create checks and then forbids changing what provisioning depends on. */
export function validateStorageClassUpdate(sc: Obj, old: Obj): FieldError[] {
  const errs = validateStorageClass(sc);
  if (!deepEqual(isObj(sc.parameters) ? sc.parameters : undefined, isObj(old.parameters) ? old.parameters : undefined)) {
    errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
  }
  if (str(sc.provisioner) !== str(old.provisioner)) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (str(sc.reclaimPolicy) !== str(old.reclaimPolicy)) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if ((sc.volumeBindingMode ?? null) !== (old.volumeBindingMode ?? null)) {
    errs.push(field.invalid('volumeBindingMode', sc.volumeBindingMode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  return errs;
}

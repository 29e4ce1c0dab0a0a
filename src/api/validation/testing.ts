/**
 * Shared by the validation tests (not a test itself): defaults an object as the registry
 * does, validates it (as an update when old is given) and returns what a user would read,
 * one [reason, message] pair per cause.
 */
import { formatFieldError, type FieldErrorType } from '../../apimachinery/errors.js';
import { defaultsFor } from '../defaults/index.js';
import { validationFor } from './index.js';
import type { Obj } from './util.js';

export type Got = [FieldErrorType, string][];

export interface Row {
  name: string;
  obj: Obj;
  old?: Obj;
  want: Got;
}

/** kind is "group/Kind" ("/Pod" for core). */
export function validateAs(kind: string, obj: Obj, old?: Obj, version = 'v1'): Got {
  const [group, k] = kind.split('/') as [string, string];
  const v = validationFor(group, k, version);
  if (v === undefined) throw new Error(`no validation for ${kind}`);
  const def = defaultsFor(group, version, k);
  const next = structuredClone(obj);
  def?.(next);
  let errs;
  if (old === undefined) errs = v.validate(next);
  else {
    const prev = structuredClone(old);
    def?.(prev);
    errs = v.validateUpdate !== undefined ? v.validateUpdate(next, prev) : v.validate(next);
  }
  return errs.map((e) => [e.type, formatFieldError(e)]);
}

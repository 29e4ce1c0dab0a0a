/**
 * The Strategy for a resource: the generic default, the kind-specific strategies
 * (namespace, pod), and upstream's defaulting and validation for the built-in kinds
 * (src/api/defaults, src/api/validation) composed on top.
 */
import type { ResourceInfo } from '../../../api/types.js';
import { defaultsFor } from '../../../api/defaults/index.js';
import { generateJobSelector } from '../../../api/defaults/batch.js';
import { validationFor } from '../../../api/validation/index.js';
import { defaultStrategy, type KObject, type Strategy } from '../strategy.js';
import { namespaceStrategy } from './namespace.js';
import { podStrategy } from './pod.js';
import { disabledFieldsDropper } from './disabledfields.js';

function withDefaultsAndValidation(info: ResourceInfo, s: Strategy): Strategy {
  const def = defaultsFor(info.group, info.version, info.kind);
  const val = validationFor(info.group, info.kind, info.version);
  const isJob = info.group === 'batch' && info.kind === 'Job';
  if (def === undefined && val === undefined && !isJob) return s;
  const out: Strategy = { ...s };
  if (def !== undefined) {
    const inner = s.defaults;
    out.defaults = (obj: KObject): void => {
      inner?.(obj);
      def(obj);
    };
  }
  if (isJob) {
    const inner = s.prepareForCreate;
    out.prepareForCreate = (obj: KObject): void => {
      inner?.(obj);
      generateJobSelector(obj);
    };
  }
  if (val !== undefined) {
    const innerValidate = s.validate;
    out.validate = (obj: KObject) => [...(innerValidate?.(obj) ?? []), ...val.validate(obj)];
    const innerUpdate = s.validateUpdate;
    out.validateUpdate = (obj: KObject, old: KObject) => {
      // Objects stored before defaulting existed compare against their defaulted form,
      // so a default filled in now is not mistaken for a change to an immutable field.
      const oldDefaulted = structuredClone(old);
      def?.(oldDefaulted);
      const inner = innerUpdate?.(obj, old) ?? innerValidate?.(obj) ?? [];
      return [...inner, ...(val.validateUpdate?.(obj, oldDefaulted) ?? val.validate(obj))];
    };
  }
  return out;
}

/** Writes drop the fields of features a 1.32 server has off (disabledfields.ts). */
function withDisabledFieldsDropped(info: ResourceInfo, s: Strategy): Strategy {
  const drop = disabledFieldsDropper(info.group, info.kind);
  if (drop === undefined) return s;
  return {
    ...s,
    prepareForCreate(obj: KObject): void {
      drop(obj, undefined);
      s.prepareForCreate?.(obj);
    },
    prepareForUpdate(obj: KObject, old: KObject, subresource: string | undefined): void {
      if (subresource === undefined) drop(obj, old);
      s.prepareForUpdate?.(obj, old, subresource);
    },
  };
}

export function strategyFor(info: ResourceInfo): Strategy {
  const base = defaultStrategy(info);
  let s = base;
  if (info.group === '' && info.kind === 'Namespace') s = namespaceStrategy(base);
  else if (info.group === '' && info.kind === 'Pod') s = podStrategy(base);
  return withDisabledFieldsDropped(info, withDefaultsAndValidation(info, s));
}

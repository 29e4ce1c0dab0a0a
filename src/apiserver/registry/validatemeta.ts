/**
 * Object metadata validation for any resource, with the resource's naming rule.
 */
import type { FieldError } from '../../apimachinery/errors.js';
import { validateObjectMeta } from '../../apimachinery/validation.js';
import type { ResourceInfo } from '../../api/types.js';
import type { KObject } from './strategy.js';

export function validateMetaFor(obj: KObject, info: ResourceInfo): FieldError[] {
  const nameValidation = info.strictNameValidation ?? info.nameValidation;
  return validateObjectMeta(obj.metadata, { namespaced: info.namespaced, nameValidation });
}

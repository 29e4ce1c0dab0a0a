/** Small helpers shared by the defaulting functions (which mutate plain JSON objects in place). */

export type Obj = Record<string, any>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns obj[key] as an object, creating {} when absent (or not an object). */
export function child(obj: Obj, key: string): Obj {
  const v = obj[key];
  if (isObj(v)) return v;
  const c: Obj = {};
  obj[key] = c;
  return c;
}

/** Sets obj[key] = value when the field is absent (undefined or null). */
export function setDefault(obj: Obj, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Like setDefault but also replaces the empty string (Go's zero value for string enums). */
export function setDefaultStr(obj: Obj, key: string, value: string): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

export function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter(isObj) as Obj[]) : [];
}

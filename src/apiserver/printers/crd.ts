/**
 * Printers for custom resources, from a CRD version's additionalPrinterColumns, as
 * apiextensions-apiserver's table convertor builds them: Name first (format "name"),
 * then one column per printer column; with no printer columns, a single "Age" column
 * of type "date" on .metadata.creationTimestamp.
 *
 * Cell rules: a path that selects nothing gives null; only the first value selected is
 * used. "string" columns print the value as JSONPath text output does; "integer",
 * "number" and "boolean" columns take a value of that JSON type (integers truncate
 * numbers) and are null otherwise; "date" columns take an RFC 3339 string and show its
 * age ("<invalid>" when it does not parse, "<unknown>" when empty).
 */
import { humanDuration } from './duration.js';
import { compileJSONPath, evaluateJSONPath, printValue } from './jsonpath.js';
import { CREATION_TIMESTAMP_DESCRIPTION, nameColumn } from './columns.js';
import { arr, nameOf, num, obj, str } from './format.js';
import type { KObject } from '../registry/strategy.js';
import type { Printer, TableColumn } from './types.js';

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface CustomResourceColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function dateCell(value: unknown, now: number): unknown {
  if (typeof value !== 'string') return null;
  if (value === '' || value === 'null') return '<unknown>';
  if (!RFC3339.test(value)) return '<invalid>';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return '<invalid>';
  if (new Date(t).getUTCFullYear() <= 1) return '<unknown>';
  return humanDuration(now - t);
}

function typedCell(type: string, value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return printValue(value) ?? null;
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return dateCell(value, now);
    default:
      return null;
  }
}

/** A printer for custom resources from printer-column definitions (empty: the default Age column). */
export function crdPrinter(columns: CustomResourceColumn[]): Printer {
  const defs = columns.length > 0 ? columns : DEFAULT_CRD_COLUMNS;
  const paths = defs.map((c) => compileJSONPath(c.jsonPath));
  const tableColumns: TableColumn[] = [
    nameColumn(),
    ...defs.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: tableColumns,
    cells(o, now) {
      const cells: unknown[] = [nameOf(o)];
      defs.forEach((c, i) => {
        const path = paths[i];
        const found = path ? evaluateJSONPath(path, o) : [];
        cells.push(found.length === 0 ? null : typedCell(c.type, found[0], now));
      });
      return cells;
    },
  };
}

const DEFAULT_CRD_COLUMNS: CustomResourceColumn[] = [
  { name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

/** What custom resources whose CRD version declares no printer columns show: Name, Age. */
export const crdDefaultPrinter: Printer = crdPrinter([]);

/** The printer for custom resources of `crd` served at `version` (its additionalPrinterColumns). */
export function printerForCRD(crd: KObject, version: string): Printer {
  const v = arr(obj(crd.spec).versions)
    .map(obj)
    .find((x) => x.name === version);
  const columns = arr(v?.additionalPrinterColumns)
    .map(obj)
    .map((c) => ({
      name: str(c.name),
      type: str(c.type),
      format: str(c.format),
      description: str(c.description),
      priority: num(c.priority),
      jsonPath: str(c.jsonPath),
    }));
  return crdPrinter(columns);
}

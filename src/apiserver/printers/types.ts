/**
 * The shapes a printer speaks: meta.k8s.io/v1 TableColumnDefinition and the cells of
 * one TableRow. The Table envelope itself is built in ../table.ts.
 */
import type { KObject } from '../registry/strategy.js';

/** meta.k8s.io/v1 TableColumnDefinition. Priority 0 columns show by default; 1 only with `-o wide`. */
export interface TableColumn {
  name: string;
  /** OpenAPI type of the cells: 'string' | 'integer' | 'number' | 'boolean' | 'date'. */
  type: string;
  /** OpenAPI format hint; 'name' marks the column holding the object's name. */
  format: string;
  description: string;
  priority: number;
}

/** meta.k8s.io/v1 TableRowCondition (upstream sets Completed on finished pods). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Printer {
  /** Column definitions, in cell order. */
  columns: TableColumn[];
  /**
   * One cell per column, always including the priority-1 (wide) columns: the server
   * prints wide and kubectl hides what it does not want, as upstream does.
   * `now` is epoch milliseconds (inject the clock; ages are computed against it).
   */
  cells(obj: KObject, now: number): unknown[];
  /** Optional row conditions (TableRow.conditions); undefined when there are none. */
  conditions?(obj: KObject): TableRowCondition[] | undefined;
}

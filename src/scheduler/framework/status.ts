/**
 * The result of running one plugin at one extension point (upstream framework.Status).
 *
 * Plugins never throw: a failure is a Status whose code says what kind of failure it
 * is and whose reasons are the human-readable causes that end up, counted, in the
 * "0/3 nodes are available: ..." message. A plugin that has nothing to do for a pod
 * (PreFilter/PreScore) returns Skip so the framework stops calling it for that cycle.
 */

export type Code =
  /** The plugin ran and the pod may go on (upstream Success, a nil *Status). */
  | 'Success'
  /** An internal or API error; the pod is retried after an error backoff, not treated as unfit. */
  | 'Error'
  /** The pod does not fit now, but preemption on this node might make it fit. */
  | 'Unschedulable'
  /** The pod does not fit and evicting pods would not change that (preemption skips the node). */
  | 'UnschedulableAndUnresolvable'
  /** Permit: hold the pod until allowed, rejected or timed out. */
  | 'Wait'
  /** PreFilter/PreScore: the plugin is not relevant to this pod; its Filter/Score are skipped. */
  | 'Skip';

export class Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that produced the status, set by the framework runtime. */
  readonly plugin: string;
  /** The underlying error for code Error. */
  readonly error: Error | undefined;

  constructor(code: Code, reasons: readonly string[] = [], plugin = '', error?: Error) {
    this.code = code;
    this.reasons = reasons;
    this.plugin = plugin;
    this.error = error;
  }

  /** The reasons joined with ", " (upstream Status.Message). */
  message(): string {
    return this.reasons.join(', ');
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  isSkip(): boolean {
    return this.code === 'Skip';
  }

  isWait(): boolean {
    return this.code === 'Wait';
  }

  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  withPlugin(plugin: string): Status {
    return plugin === this.plugin ? this : new Status(this.code, this.reasons, plugin, this.error);
  }

  toString(): string {
    return `${this.code}${this.plugin !== '' ? ` (${this.plugin})` : ''}: ${this.message()}`;
  }
}

/** The shared success status. */
export const SUCCESS = new Status('Success');

export function success(): Status {
  return SUCCESS;
}

export function newStatus(code: Code, ...reasons: string[]): Status {
  return new Status(code, reasons);
}

export function unschedulable(...reasons: string[]): Status {
  return new Status('Unschedulable', reasons);
}

export function unresolvable(...reasons: string[]): Status {
  return new Status('UnschedulableAndUnresolvable', reasons);
}

export function skip(): Status {
  return new Status('Skip');
}

/** An Error status from anything thrown or rejected (upstream AsStatus). */
export function asStatus(err: unknown): Status {
  const e = err instanceof Error ? err : new Error(String(err));
  return new Status('Error', [e.message], '', e);
}

/**
 * DefaultTolerationSeconds, as upstream's admission plugin
 * (plugin/pkg/admission/defaulttolerationseconds): every pod written without a
 * toleration for node.kubernetes.io/not-ready:NoExecute (or unreachable:NoExecute)
 * gets one, operator Exists, with tolerationSeconds from
 * --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds
 * (300 each). So pods stay 5 minutes on a node that stopped reporting before the taint
 * eviction controller deletes them.
 *
 * Facts kept from upstream: it handles CREATE and UPDATE of pods proper (not
 * subresources); a toleration counts when its key is the taint's or empty and its
 * effect is NoExecute or empty (operator and value are not looked at); the defaults
 * are appended, not-ready first.
 */
import { errors } from '../../apimachinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** --default-not-ready-toleration-seconds (300). */
  notReadyTolerationSeconds?: number;
  /** --default-unreachable-toleration-seconds (300). */
  unreachableTolerationSeconds?: number;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

function checkSeconds(flag: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw new Error(`${flag} must be an integer number of seconds, got ${String(v)}`);
  return v;
}

/** Whether t (as the plugin reads it) tolerates key:NoExecute. */
function covers(t: Toleration, key: string): boolean {
  return (t.key === undefined || t.key === '' || t.key === key) && (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute');
}

export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';
  readonly notReadyTolerationSeconds: number;
  readonly unreachableTolerationSeconds: number;

  constructor(opts: DefaultTolerationSecondsOptions = {}) {
    this.notReadyTolerationSeconds = checkSeconds('--default-not-ready-toleration-seconds', opts.notReadyTolerationSeconds ?? 300);
    this.unreachableTolerationSeconds = checkSeconds('--default-unreachable-toleration-seconds', opts.unreachableTolerationSeconds ?? 300);
  }

  admit(a: AdmissionAttributes): void {
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    if (a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource !== '') return;
    const pod = a.object;
    if (pod === undefined) return;
    if (pod.kind !== undefined && pod.kind !== 'Pod') throw errors.badRequest(`expected a Pod but got a ${String(pod.kind)}`);
    if (pod.spec !== undefined && (typeof pod.spec !== 'object' || pod.spec === null || Array.isArray(pod.spec))) return;
    const spec = (pod.spec ??= {}) as Record<string, unknown>;
    const existing = spec['tolerations'];
    if (existing !== undefined && existing !== null && !Array.isArray(existing)) return; // validation reports it
    const tolerations = ((existing as Toleration[] | null | undefined) ?? []).filter((t): t is Toleration => typeof t === 'object' && t !== null);
    const notReady = tolerations.some((t) => covers(t, TAINT_NODE_NOT_READY));
    const unreachable = tolerations.some((t) => covers(t, TAINT_NODE_UNREACHABLE));
    if (notReady && unreachable) return;
    const out = Array.isArray(existing) ? [...(existing as unknown[])] : [];
    if (!notReady) out.push({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.notReadyTolerationSeconds });
    if (!unreachable) out.push({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.unreachableTolerationSeconds });
    spec['tolerations'] = out;
  }
}

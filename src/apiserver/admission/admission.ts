/**
 * Admission: plugins that may mutate or reject a write after authorization and
 * before it is stored. Mutating plugins run first, then validating ones, as upstream.
 */
import type { KObject } from '../registry/strategy.js';
import type { UserInfo } from '../authn/authenticator.js';
import type { ResourceInfo } from '../../api/types.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  resource: ResourceInfo;
  subresource: string;
  namespace: string;
  name: string;
  object: KObject | undefined;
  oldObject: KObject | undefined;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** May change attrs.object. Throw a StatusError to reject. */
  admit?(attrs: AdmissionAttributes): Promise<void> | void;
  /** Must not change anything. Throw a StatusError to reject. */
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[] = []) {}
  async run(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) await p.admit?.(attrs);
    for (const p of this.plugins) await p.validate?.(attrs);
  }
  get size(): number {
    return this.plugins.length;
  }
}

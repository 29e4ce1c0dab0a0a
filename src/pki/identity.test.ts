import assert from 'node:assert/strict';
import type { PeerCertificate } from 'node:tls';
import { describe, it } from 'node:test';
import { identityFromPeerCertificate } from './identity.js';

function peer(subject: Record<string, string | string[]>): PeerCertificate {
  return { subject } as unknown as PeerCertificate;
}

void describe('identityFromPeerCertificate', () => {
  const cases = [
    { name: 'CN and one O', cert: peer({ CN: 'kubernetes-admin', O: 'system:masters' }), want: { user: 'kubernetes-admin', groups: ['system:masters'] } },
    { name: 'several O as an array', cert: peer({ CN: 'alice', O: ['dev', 'ops'] }), want: { user: 'alice', groups: ['dev', 'ops'] } },
    { name: 'no O', cert: peer({ CN: 'system:node:n1' }), want: { user: 'system:node:n1', groups: [] } },
    { name: 'no CN', cert: peer({ O: 'g' }), want: undefined },
    { name: 'empty CN', cert: peer({ CN: '', O: 'g' }), want: undefined },
    { name: 'no certificate ({} from getPeerCertificate)', cert: {} as PeerCertificate, want: undefined },
    { name: 'undefined', cert: undefined, want: undefined },
  ];
  for (const c of cases) void it(c.name, () => assert.deepEqual(identityFromPeerCertificate(c.cert), c.want));
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { ControllerExpectations, EXPECTATIONS_TTL_MS, UIDExpectations, UIDTrackingControllerExpectations } from './expectations.js';

describe('ControllerExpectations', () => {
  const cases: { name: string; steps: (e: ControllerExpectations) => void; want: boolean; pending?: { adds: number; dels: number } }[] = [
    { name: 'nothing expected', steps: () => undefined, want: true },
    { name: 'creations pending', steps: (e) => e.expectCreations('k', 2), want: false, pending: { adds: 2, dels: 0 } },
    {
      name: 'all creations observed',
      steps: (e) => {
        e.expectCreations('k', 2);
        e.creationObserved('k');
        e.creationObserved('k');
      },
      want: true,
      pending: { adds: 0, dels: 0 },
    },
    {
      name: 'a skipped creation lowers the count',
      steps: (e) => {
        e.expect('k', 3, 1);
        e.lower('k', 2, 0);
        e.creationObserved('k');
        e.deletionObserved('k');
      },
      want: true,
      pending: { adds: 0, dels: 0 },
    },
    {
      name: 'a new expectation replaces the old one',
      steps: (e) => {
        e.expectCreations('k', 1);
        e.expectDeletions('k', 2);
      },
      want: false,
      pending: { adds: 0, dels: 2 },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const e = new ControllerExpectations(new FakeClock());
      c.steps(e);
      assert.equal(e.satisfied('k'), c.want);
      if (c.pending !== undefined) assert.deepEqual(e.pending('k'), c.pending);
    });
  }

  test('an expectation older than the TTL counts as satisfied', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations('k', 1);
    clock.advance(EXPECTATIONS_TTL_MS);
    assert.equal(e.satisfied('k'), false);
    clock.advance(1);
    assert.equal(e.satisfied('k'), true);
  });
});

describe('UIDTrackingControllerExpectations', () => {
  test('creations and deletions are counted until observed, and expire', () => {
    const clock = new FakeClock();
    const e = new UIDTrackingControllerExpectations(clock);
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectCreations('ns/rs', 2);
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/other');
    assert.deepEqual(e.pending('ns/rs'), { adds: 0, dels: 1 });
    assert.equal(e.satisfied('ns/rs'), false);
    clock.advance(EXPECTATIONS_TTL_MS + 1);
    assert.equal(e.satisfied('ns/rs'), true, 'expired');
    e.delete('ns/rs');
    assert.equal(e.pending('ns/rs'), undefined);
  });

  test('expecting creations forgets the pods still expected to go', () => {
    const e = new UIDTrackingControllerExpectations(new FakeClock());
    e.expectDeletions('k', ['ns/a']);
    e.expectCreations('k', 1);
    e.deletionObserved('k', 'ns/a');
    assert.deepEqual(e.pending('k'), { adds: 1, dels: 0 });
  });
});

describe('UIDExpectations', () => {
  test('uids leave as they are observed', () => {
    const e = new UIDExpectations();
    e.expect('job', ['a', 'b']);
    e.observed('job', 'a');
    assert.deepEqual([...e.expectedUIDs('job')], ['b']);
    e.observed('job', 'b');
    assert.equal(e.expectedUIDs('job').size, 0);
    e.expect('job', ['c']);
    e.delete('job');
    assert.equal(e.expectedUIDs('job').size, 0);
  });
});

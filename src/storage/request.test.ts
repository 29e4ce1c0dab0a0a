import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError } from './interface.js';
import { checkExpected, checkKey, checkListOptions, checkRevision, checkValue } from './request.js';

const invalid = (e: unknown) => isStorageError(e, 'InvalidRequest');

describe('request checks', () => {
  it('refuse malformed arguments with InvalidRequest', () => {
    const cases: { name: string; run: () => unknown }[] = [
      { name: 'empty key', run: () => checkKey('') },
      { name: 'non-string key', run: () => checkKey(7) },
      { name: 'lone surrogate key', run: () => checkKey('/a/\ud800') },
      { name: 'non-string value', run: () => checkValue({}) },
      { name: 'lone surrogate value', run: () => checkValue('\udc00') },
      { name: 'negative revision', run: () => checkRevision('revision', -1) },
      { name: 'fractional revision', run: () => checkRevision('revision', 1.5) },
      { name: 'zero expected', run: () => checkExpected(0) },
      { name: 'negative limit', run: () => checkListOptions('/p/', { limit: -1 }) },
      { name: 'continue key outside prefix', run: () => checkListOptions('/p/', { after: '/q' }) },
    ];
    for (const c of cases) assert.throws(c.run, invalid, c.name);
  });

  it('normalize list options', () => {
    assert.deepEqual(checkListOptions('/p/', undefined), { limit: 0, after: undefined, revision: 0 });
    assert.deepEqual(checkListOptions('/p/', { after: '', limit: 5, revision: 9 }), { limit: 5, after: undefined, revision: 9 });
    assert.deepEqual(checkListOptions('/p/', { after: '/p/x' }), { limit: 0, after: '/p/x', revision: 0 });
  });
});

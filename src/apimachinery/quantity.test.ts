import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import {
  addQuantity,
  canonicalQuantity,
  compareQuantity,
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  negQuantity,
  newQuantity,
  newScaledQuantity,
  parseQuantity,
  quantityError,
  quantityMilliValue,
  quantityToNumber,
  quantityToString,
  quantityValue,
  subQuantity,
  type QuantityFormat,
} from './quantity.js';

test('canonical form (upstream TestQuantityParseEmit / TestQuantityString cases)', () => {
  const cases: { name: string; in: string; want: string; format?: QuantityFormat }[] = [
    { name: '1Ki', in: '1Ki', want: '1Ki', format: 'BinarySI' },
    { name: '1Mi', in: '1Mi', want: '1Mi' },
    { name: '1024Mi', in: '1024Mi', want: '1Gi' },
    { name: '1000M', in: '1000M', want: '1G', format: 'DecimalSI' },
    { name: '.001Ki', in: '.001Ki', want: '1024m' },
    { name: '.000001Ki', in: '.000001Ki', want: '1024u' },
    { name: '.000000001Ki', in: '.000000001Ki', want: '1024n' },
    { name: 'rounds up to nano, changes format', in: '.000000000001Ki', want: '2n', format: 'DecimalSI' },
    { name: '100m', in: '100m', want: '100m' },
    { name: '1.5', in: '1.5', want: '1500m' },
    { name: '1.5Gi', in: '1.5Gi', want: '1536Mi' },
    { name: '0.5Mi', in: '0.5Mi', want: '512Ki' },
    { name: '2e3', in: '2e3', want: '2e3', format: 'DecimalExponent' },
    { name: '1.2e3', in: '1.2e3', want: '1200' },
    { name: '0.5e-1', in: '0.5e-1', want: '50e-3' },
    { name: '1E-3', in: '1E-3', want: '1e-3' },
    { name: '1.1E-9 rounds', in: '1.1E-9', want: '2e-9' },
    { name: '3.001n rounds', in: '3.001n', want: '4n' },
    { name: '0.9n rounds', in: '0.9n', want: '1n' },
    { name: 'negative rounds away from zero', in: '-0.9n', want: '-1n' },
    { name: '5000m', in: '5000m', want: '5' },
    { name: '1080m', in: '1080m', want: '1080m' },
    { name: '1.08', in: '1.08', want: '1080m' },
    { name: '300.2T', in: '300.2T', want: '300200G' },
    { name: '12E', in: '12E', want: '12E' },
    { name: '1000E beyond suffixes', in: '1000E', want: '1e21' },
    { name: '9Ei capped at 2^63-1', in: '9Ei', want: '9223372036854775807' },
    { name: '100.035Ki', in: '100.035Ki', want: '102435840m' },
    { name: '1025 binary prints plain', in: '1025Ki', want: '1025Ki' },
    { name: '1.', in: '1.', want: '1' },
    { name: '1.G', in: '1.G', want: '1G' },
    { name: 'zero', in: '0', want: '0' },
    { name: 'zero with suffix', in: '0Mi', want: '0' },
    { name: 'plus sign', in: '+1k', want: '1k' },
    { name: 'negative binary', in: '-1Gi', want: '-1Gi' },
    { name: 'big exponent stays compact', in: '1e1000', want: '10e999' },
  ];
  for (const c of cases) {
    const q = parseQuantity(c.in);
    assert.equal(quantityToString(q), c.want, c.name);
    if (c.format) assert.equal(q.format, c.format, `${c.name} format`);
  }
});

test('parse errors are 400 with upstream messages', () => {
  const cases: { name: string; in: string; want: string }[] = [
    { name: 'empty', in: '', want: ERR_FORMAT_WRONG },
    { name: 'two dots', in: '1.1.M', want: ERR_FORMAT_WRONG },
    { name: 'plus inside', in: '1+1.0M', want: ERR_FORMAT_WRONG },
    { name: 'letters', in: 'aoeu', want: ERR_FORMAT_WRONG },
    { name: 'leading space', in: ' 1', want: ERR_FORMAT_WRONG },
    { name: 'trailing space', in: '1 ', want: ERR_FORMAT_WRONG },
    { name: 'bad suffix mi', in: '0.1mi', want: ERR_SUFFIX },
    { name: 'bad suffix i', in: '1i', want: ERR_SUFFIX },
    { name: 'fraction i', in: '.5i', want: ERR_SUFFIX },
    { name: 'bare e', in: '1e', want: ERR_SUFFIX },
    { name: 'dangling exponent sign', in: '-3.01e-', want: ERR_SUFFIX },
  ];
  for (const c of cases) {
    const e = quantityError(c.in);
    assert.ok(e && isStatusError(e), c.name);
    assert.equal(e.code, 400, c.name);
    assert.equal(e.message, c.want, c.name);
  }
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.equal(quantityError('1Gi'), undefined);
});

test('compareQuantity (upstream TestQuantityCmp)', () => {
  const cases: { name: string; a: string; b: string; want: number }[] = [
    { name: 'zeros', a: '0', b: '0', want: 0 },
    { name: '100m > 50m', a: '100m', b: '50m', want: 1 },
    { name: '50m < 100m', a: '50m', b: '100m', want: -1 },
    { name: '10000T > 100Gi', a: '10000T', b: '100Gi', want: 1 },
    { name: '1 == 1000m', a: '1', b: '1000m', want: 0 },
    { name: '1Ki == 1024', a: '1Ki', b: '1024', want: 0 },
    { name: 'negative', a: '-1', b: '0', want: -1 },
    { name: 'negatives', a: '-2', b: '-1', want: -1 },
    { name: 'huge exponent gap', a: '1e1000', b: '9Ei', want: 1 },
  ];
  for (const c of cases) assert.equal(compareQuantity(c.a, c.b), c.want, c.name);
});

test('Value and MilliValue round up away from zero', () => {
  const cases: { name: string; in: string; value: number; milli: number }[] = [
    { name: '100m', in: '100m', value: 1, milli: 100 },
    { name: '1.5', in: '1.5', value: 2, milli: 1500 },
    { name: '1Gi', in: '1Gi', value: 1073741824, milli: 1073741824000 },
    { name: '1n', in: '1n', value: 1, milli: 1 },
    { name: '-1.5', in: '-1.5', value: -2, milli: -1500 },
    { name: '2', in: '2', value: 2, milli: 2000 },
  ];
  for (const c of cases) {
    assert.equal(quantityValue(c.in), c.value, `${c.name} value`);
    assert.equal(quantityMilliValue(c.in), c.milli, `${c.name} milli`);
  }
  assert.equal(quantityMilliValue('1e999999999'), Infinity, 'huge values do not build huge integers');
  assert.equal(quantityValue('-1e999999999'), -Infinity);
  assert.equal(quantityValue('0'), 0);
  assert.throws(() => addQuantity(parseQuantity('1e999999999'), parseQuantity('1m')), RangeError);
  assert.equal(quantityToNumber('250m'), 0.25);
  assert.equal(quantityToNumber('1.5Ki'), 1536);
});

test('arithmetic and constructors', () => {
  const cases: { name: string; got: () => string; want: string }[] = [
    { name: 'add keeps format', got: () => quantityToString(addQuantity(parseQuantity('1Gi'), parseQuantity('512Mi'))), want: '1536Mi' },
    { name: 'add to zero takes other format', got: () => quantityToString(addQuantity(parseQuantity('0'), parseQuantity('1Gi'))), want: '1Gi' },
    { name: 'add milli', got: () => quantityToString(addQuantity(parseQuantity('100m'), parseQuantity('900m'))), want: '1' },
    { name: 'sub', got: () => quantityToString(subQuantity(parseQuantity('1'), parseQuantity('250m'))), want: '750m' },
    { name: 'neg', got: () => quantityToString(negQuantity(parseQuantity('9.01'))), want: '-9010m' },
    { name: 'newQuantity binary', got: () => quantityToString(newQuantity(1024, 'BinarySI')), want: '1Ki' },
    { name: 'newQuantity decimal', got: () => quantityToString(newQuantity(1234000)), want: '1234k' },
    { name: 'newQuantity exponent', got: () => quantityToString(newQuantity(1000000, 'DecimalExponent')), want: '1e6' },
    { name: 'milli', got: () => quantityToString(newScaledQuantity(1, -3)), want: '1m' },
    { name: 'milli to unit', got: () => quantityToString(newScaledQuantity(1000, -3)), want: '1' },
    { name: 'binary milli prints decimal', got: () => quantityToString(newScaledQuantity(1024, -3, 'BinarySI')), want: '1024m' },
    { name: 'canonicalQuantity', got: () => canonicalQuantity('0.5'), want: '500m' },
  ];
  for (const c of cases) assert.equal(c.got(), c.want, c.name);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const T = '2024-05-01T10:00:00Z';
const pod = { kind: 'Pod', namespace: 'd', name: 'p', uid: 'u1', apiVersion: 'v1' };
const node = { kind: 'Node', name: 'n1', uid: 'u2', apiVersion: 'v1' };

/** What src/client/events.ts (and so every controller and the kubelet) writes. */
const recorded = (ns: string, ref: object) => ({
  metadata: { name: 'p.17c', namespace: ns },
  involvedObject: ref,
  reason: 'Scheduled',
  message: 'ok',
  source: { component: 'default-scheduler' },
  firstTimestamp: T,
  lastTimestamp: T,
  count: 1,
  type: 'Normal',
  reportingComponent: 'default-scheduler',
  reportingInstance: '',
});

const coreRows: Row[] = [
  { name: 'what the event recorder writes for a pod', obj: recorded('d', pod), want: [] },
  { name: 'what the event recorder writes for a node (in default)', obj: recorded('default', node), want: [] },
  { name: 'any type is accepted on core/v1', obj: { ...recorded('d', pod), type: 'Info' }, want: [] },
  {
    name: 'namespace must match the involved object',
    obj: recorded('other', pod),
    want: [['FieldValueInvalid', 'involvedObject.namespace: Invalid value: "d": does not match event.namespace']],
  },
  {
    name: 'a cluster-scoped object event outside default',
    obj: recorded('kube-system', node),
    want: [['FieldValueInvalid', 'involvedObject.namespace: Invalid value: "": does not match event.namespace']],
  },
  {
    name: 'new-style event (eventTime) needs the reporting fields',
    obj: { metadata: { name: 'e', namespace: 'd' }, involvedObject: pod, eventTime: '2024-05-01T10:00:00.000000Z', type: 'Normal' },
    want: [
      ['FieldValueRequired', 'reportingComponent: Required value'],
      ['FieldValueInvalid', 'reportingComponent: Invalid value: "": name part must be non-empty'],
      [
        'FieldValueInvalid',
        `reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
      ['FieldValueRequired', 'reportingInstance: Required value'],
      ['FieldValueRequired', 'action: Required value'],
      ['FieldValueRequired', 'reason: Required value'],
    ],
  },
  { name: 'count and lastTimestamp may change on core/v1', old: recorded('d', pod), obj: { ...recorded('d', pod), count: 2, lastTimestamp: '2024-05-01T10:05:00Z' }, want: [] },
];

for (const r of coreRows) test(`Event (core/v1): ${r.name}`, () => assert.deepEqual(validateAs('/Event', r.obj, r.old), r.want));

const ev = (extra: object = {}) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'e', namespace: 'd' },
  eventTime: '2024-05-01T10:00:00.123456Z',
  regarding: pod,
  reason: 'Started',
  note: 'started container',
  type: 'Normal',
  action: 'Start',
  reportingController: 'example.com/controller',
  reportingInstance: 'controller-1',
  ...extra,
});

const eventsRows: Row[] = [
  { name: 'valid', obj: ev(), want: [] },
  { name: 'valid series', obj: ev({ series: { count: 2, lastObservedTime: '2024-05-01T10:01:00.000000Z' } }), want: [] },
  {
    name: 'strict fields: eventTime, type, deprecated fields unset',
    obj: ev({
      eventTime: undefined,
      type: 'Info',
      deprecatedCount: 3,
      deprecatedSource: { component: 'kubelet' },
      deprecatedFirstTimestamp: T,
      reportingController: 'bad name',
    }),
    // Without an eventTime the reporting fields are not checked (the legacy rules apply).
    want: [
      ['FieldValueRequired', 'eventTime: Required value'],
      ['FieldValueInvalid', 'type: Invalid value: "": has invalid value: Info'],
      ['FieldValueInvalid', 'deprecatedFirstTimestamp: Invalid value: "": needs to be unset'],
      ['FieldValueInvalid', 'deprecatedCount: Invalid value: "": needs to be unset'],
      ['FieldValueInvalid', 'deprecatedSource: Invalid value: "": needs to be unset'],
    ],
  },
  {
    name: 'series needs a count of two and a last observed time',
    obj: ev({ series: { count: 1 } }),
    want: [
      ['FieldValueInvalid', 'series.count: Invalid value: "": should be at least 2'],
      ['FieldValueRequired', 'series.lastObservedTime: Required value'],
    ],
  },
  {
    name: 'update: the note, reason and regarding are immutable',
    old: ev(),
    obj: ev({ note: 'changed', reason: 'Again', regarding: { ...pod, name: 'q' } }),
    want: [
      ['FieldValueInvalid', 'involvedObject: Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"d", Name:"q", UID:"u1", APIVersion:"v1", ResourceVersion:"", FieldPath:""}: field is immutable'],
      ['FieldValueInvalid', 'reason: Invalid value: "Again": field is immutable'],
      ['FieldValueInvalid', 'message: Invalid value: "changed": field is immutable'],
      ['FieldValueInvalid', 'reason: Invalid value: "Again": field is immutable'],
    ],
  },
  {
    name: 'update: eventTime compares at microsecond precision',
    old: ev(),
    obj: ev({ eventTime: '2024-05-01T10:00:00.123456789Z', series: { count: 2, lastObservedTime: '2024-05-01T10:01:00.000000Z' } }),
    want: [],
  },
];

for (const r of eventsRows) test(`Event (events.k8s.io/v1): ${r.name}`, () => assert.deepEqual(validateAs('events.k8s.io/Event', r.obj, r.old), r.want));

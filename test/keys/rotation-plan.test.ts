import { planRotation } from '../../src/keys/rotation-plan.ts';
import type { RotationKey, RotationRequest } from '../../src/keys/rotation-plan.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const timings = { publishLead: 360, retireAfter: 3660, interval: 86_400 };
let counter = 0;
const newStem = (alg: string): string => `${alg.toLowerCase()}-new-${++counter}`;
const at = (seconds: number): number => T0 + seconds * 1000;
const cli = (now: number, immediately = false): RotationRequest => ({ now, timings, scheduled: false, immediately });
const schedule = (now: number): RotationRequest => ({ now, timings, scheduled: true, immediately: false });
const key = (stem: string, state: RotationKey['state'], since: number | undefined, alg = 'ES256'): RotationKey => ({ stem, alg, state, since });

beforeEach(() => {
  counter = 0;
});

test('the first step publishes a next key and does not let it sign', () => {
  const plan = planRotation([key('a', 'active', undefined)], cli(T0), newStem);
  expect(plan.generate).toEqual([key('es256-new-1', 'next', T0)]);
  expect(plan.promoted).toEqual([]);
  expect(plan.keys).toEqual([key('a', 'active', undefined), key('es256-new-1', 'next', T0)]);
  expect(plan.waiting).toEqual([{ key: key('es256-new-1', 'next', T0), signsFrom: at(360) }]);
});

test('a next key signs only once it has been published for the lead time; the active key is retired', () => {
  const current = [key('a', 'active', undefined), key('b', 'next', T0)];
  const early = planRotation(current, cli(at(359)), newStem);
  expect(early.promoted).toEqual([]);
  expect(early.generate).toEqual([]);
  expect(early.keys).toEqual(current);
  expect(early.waiting).toEqual([{ key: key('b', 'next', T0), signsFrom: at(360) }]);

  const due = planRotation(current, cli(at(360)), newStem);
  expect(due.promoted).toEqual([{ key: key('b', 'active', at(360)), retired: [key('a', 'retired', at(360))] }]);
  expect(due.keys).toEqual([key('a', 'retired', at(360)), key('b', 'active', at(360)), key('es256-new-1', 'next', at(360))]);
});

test('a retired key is dropped once every token it signed has expired, not before', () => {
  const current = [key('a', 'retired', T0), key('b', 'active', T0), key('c', 'next', T0)];
  expect(planRotation(current, schedule(at(3659)), newStem).drop).toEqual([]);
  const plan = planRotation(current, schedule(at(3660)), newStem);
  expect(plan.drop).toEqual([key('a', 'retired', T0)]);
  expect(plan.keys).toEqual([key('b', 'active', T0), key('c', 'next', T0)]);
  expect(plan.promoted).toEqual([]);
});

test('on a schedule the active key signs for the whole interval; the operator need not wait for it', () => {
  const current = [key('a', 'active', T0), key('b', 'next', T0)];
  expect(planRotation(current, schedule(at(86_399)), newStem).promoted).toEqual([]);
  expect(planRotation(current, schedule(at(86_399)), newStem).waiting).toEqual([{ key: key('b', 'next', T0), signsFrom: at(86_400) }]);
  expect(planRotation(current, schedule(at(86_400)), newStem).promoted.map((p) => p.key.stem)).toEqual(['b']);
  expect(planRotation(current, cli(at(400)), newStem).promoted.map((p) => p.key.stem)).toEqual(['b']);
});

test('--immediately lets a new key sign at once and publishes another next key', () => {
  const plan = planRotation([key('a', 'active', T0)], cli(at(10), true), newStem);
  expect(plan.promoted).toEqual([{ key: key('es256-new-1', 'active', at(10)), retired: [key('a', 'retired', at(10))] }]);
  expect(plan.generate).toEqual([key('es256-new-1', 'active', at(10)), key('es256-new-2', 'next', at(10))]);
  expect(plan.keys.map((k) => [k.stem, k.state])).toEqual([
    ['a', 'retired'],
    ['es256-new-1', 'active'],
    ['es256-new-2', 'next'],
  ]);
});

test('each algorithm rotates on its own, and states without a date are dated now', () => {
  const current = [key('ec', 'active', T0), key('rsa', 'active', T0, 'RS256'), key('rsa-next', 'next', undefined, 'RS256')];
  const plan = planRotation(current, cli(at(5)), newStem);
  expect(plan.promoted).toEqual([]);
  expect(plan.keys).toEqual([
    key('ec', 'active', T0),
    key('rsa', 'active', T0, 'RS256'),
    key('rsa-next', 'next', at(5), 'RS256'),
    key('es256-new-1', 'next', at(5)),
  ]);
});

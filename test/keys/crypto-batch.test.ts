import { createCryptoBatch } from '../../src/keys/crypto-batch.ts';

test('operations asked for in one turn run after it, all before any of their callers goes on', async () => {
  const batch = createCryptoBatch();
  const ran: string[] = [];
  const results = Promise.all(
    ['a', 'b', 'c'].map((name) =>
      batch(() => {
        ran.push(name);
        return name.toUpperCase();
      }).then((result) => {
        ran.push(result);
        return result;
      }),
    ),
  );
  await Promise.resolve();
  expect(ran).toEqual([]);
  expect(await results).toEqual(['A', 'B', 'C']);
  expect(ran).toEqual(['a', 'b', 'c', 'A', 'B', 'C']);
});

test('an operation that throws rejects its own promise only', async () => {
  const batch = createCryptoBatch();
  const failing = batch(() => {
    throw new Error('bad key');
  });
  const passing = batch(() => 42);
  await expect(failing).rejects.toThrow('bad key');
  expect(await passing).toBe(42);
});

test('an operation asked for after a batch has run goes into the next batch', async () => {
  const batch = createCryptoBatch();
  expect(await batch(() => 1)).toBe(1);
  expect(await batch(() => 2)).toBe(2);
});

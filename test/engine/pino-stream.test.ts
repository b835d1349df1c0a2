import { Writable } from 'node:stream';

import { pino } from 'pino';

import { destinationOf } from '../../src/observability/pino-stream.ts';

test('seam: a pino logger and its children hold their destination under pino.symbols.streamSym', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ base: null, timestamp: false }, destination);
  expect(destinationOf(logger)).toBe(destination);
  expect(destinationOf(logger.child({ request_id: 'r1' }))).toBe(destination);
});

test('a logger without a destination under the symbol is refused loudly', () => {
  expect(() => destinationOf({} as pino.Logger)).toThrow(
    'pino: a logger no longer holds its destination under pino.symbols.streamSym; the access log needs a review',
  );
});

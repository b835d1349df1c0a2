// Fenced: pino exposes `pino.symbols` for integrations, but the values behind them are a logger's
// non-public state; `streamSym` holds the destination a logger (and each of its children) writes
// to. It sits here, beside the logger, rather than in src/provider/engine (the other seams), as the
// logger is below the provider. test/engine/pino-stream.test.ts guards the seam.
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

const STREAM: typeof pino.symbols.streamSym = pino.symbols.streamSym;

/** Where `logger` writes its lines: for a line composed elsewhere in the logger's own shape. */
export function destinationOf(logger: Logger): DestinationStream {
  const destination = (logger as Logger & { [STREAM]?: DestinationStream })[STREAM];
  if (typeof destination?.write !== 'function')
    throw new Error('pino: a logger no longer holds its destination under pino.symbols.streamSym; the access log needs a review');
  return destination;
}

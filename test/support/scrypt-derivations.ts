import { createHook } from 'node:async_hooks';

/**
 * Runs `run` and counts the scrypt derivations node:crypto started meanwhile (each is an async
 * job of type SCRYPTREQUEST). The count does not depend on how fast the machine is, so a test
 * can tell "one derivation each" apart from "none for an unknown user" without timing anything.
 * Only meaningful while nothing else in the process derives keys, as in a test that awaits
 * one call at a time.
 */
export async function countScryptDerivations<T>(run: () => Promise<T>): Promise<{ result: T; derivations: number }> {
  let derivations = 0;
  const hook = createHook({ init(_id, type) { if (type === 'SCRYPTREQUEST') derivations++; } }).enable();
  try {
    const result = await run();
    return { result, derivations };
  } finally {
    hook.disable();
  }
}

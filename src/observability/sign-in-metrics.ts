import type { Registry } from 'prom-client';

import { cellCounter } from './counter-cells.ts';

/** How a password sign-in ended: accepted, refused for its username or password, or refused by the throttle before any check. */
export type SignInOutcome = 'success' | 'wrong_credentials' | 'throttled';

/** What the login service reports. */
export interface SignInMetrics {
  signIn(outcome: SignInOutcome): void;
}

/** `tessera_sign_ins_total{outcome}`; every outcome is exported from the start, at 0. */
export function signInMetrics(registry: Registry): SignInMetrics {
  const counter = cellCounter(registry, 'tessera_sign_ins_total', 'Password sign-ins, by outcome (success, wrong_credentials, throttled).', ['outcome']);
  const cells = { success: counter.cell('success'), wrong_credentials: counter.cell('wrong_credentials'), throttled: counter.cell('throttled') };
  return {
    signIn: (outcome) => {
      cells[outcome].pending++;
    },
  };
}

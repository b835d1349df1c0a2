import { randomBytes } from 'node:crypto';

import type { ThrottleDecision, ThrottleRefusal, ThrottleSubject, ThrottleVerdict } from './login-throttle.ts';
import { throttlePolicy } from './throttle-policy.ts';
import type { ThrottleLimits } from './throttle-policy.ts';

/** One subject's answer to an attempt: it may go ahead, or it is refused for this many seconds. */
export type SubjectAnswer = { readonly refused: false } | { readonly refused: true; readonly retryAfter: number };

const SUBJECTS = ['username', 'ip'] as const;

/** A new reservation id, unique among the attempts in flight. */
export function newReservation(): string {
  return randomBytes(12).toString('base64url');
}

/** The answer of a subject whose lock has `ms` milliseconds left (none when 0 or less). */
export function lockAnswer(ms: number): SubjectAnswer {
  return ms > 0 ? { refused: true, retryAfter: Math.ceil(ms / 1000) } : { refused: false };
}

/**
 * The answer of a subject whose attempts in flight could already reach a back-off: wait as long
 * as the back-off they would set if they all failed.
 */
export function busyAnswer(failures: number, pending: number, limits: ThrottleLimits): SubjectAnswer {
  const decision = throttlePolicy(failures + pending, limits);
  return { refused: true, retryAfter: decision.allowed ? limits.baseDelay : decision.retryAfter };
}

/** Both subjects' answers together: refused by every subject that refuses, for the longest wait. */
export function refusalOf(answers: Record<ThrottleSubject, SubjectAnswer>): ThrottleRefusal | undefined {
  const waits = SUBJECTS.flatMap((subject) => {
    const answer = answers[subject];
    return answer.refused ? [{ subject, retryAfter: answer.retryAfter }] : [];
  });
  if (!waits.length) return undefined;
  return { allowed: false, retryAfter: Math.max(...waits.map((w) => w.retryAfter)), lockedBy: waits.map((w) => w.subject) };
}

/** The verdict on an attempt: `reservation` when no subject refuses it. */
export function verdictOf(answers: Record<ThrottleSubject, SubjectAnswer>, reservation: string): ThrottleVerdict {
  return refusalOf(answers) ?? { allowed: true, reservation };
}

/** Whether a new attempt would meet a lock, from the milliseconds left on each subject's lock. */
export function lockDecision(left: Record<ThrottleSubject, number>): ThrottleDecision {
  return refusalOf({ username: lockAnswer(left.username), ip: lockAnswer(left.ip) }) ?? { allowed: true };
}

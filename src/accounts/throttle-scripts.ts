import { redisScript } from './redis-script.ts';

/**
 * KEYS: failures, lock, pending. ARGV: reservation id, lease (ms), free failures.
 * Decides and reserves in one step, so that no two attempts are let through on the same count:
 * `{0, ms}` refused by the lock; `{1, failures, pending}` refused because the attempts in flight
 * could already reach a back-off (`mayStart` in throttle-policy.ts, the same rule); `{2}` reserved
 * until settled or until the lease lapses (an instance may stop before it settles).
 */
export const reserveAttemptScript = redisScript(`
local lock = redis.call('PTTL', KEYS[2])
if lock > 0 then return {0, lock} end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local pending = redis.call('ZCARD', KEYS[3])
if pending > 0 and failures + pending > tonumber(ARGV[3]) then return {1, failures, pending} end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
return {2}`);

/** KEYS: failures. ARGV: window seconds. Counts one failure and restarts the window, atomically. */
export const countFailureScript = redisScript(`
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return count`);

/**
 * KEYS: lock, pending. ARGV: reservation id, lock milliseconds (0: none). Sets the lock unless a
 * longer one is in place, then ends the reservation, in that order and atomically: the failure
 * stays in flight until its back-off holds. Returns the milliseconds left on the lock.
 */
export const settleFailureScript = redisScript(`
local ms = tonumber(ARGV[2])
if ms > 0 and redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('PTTL', KEYS[1])`);

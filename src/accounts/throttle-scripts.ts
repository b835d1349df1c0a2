import { redisScript } from '../../adapters/redis/redis-script.ts';

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

/**
 * KEYS: failures, lock, pending. ARGV: reservation id, window, free failures, base delay, max delay
 * (seconds). Counts the failure (restarting the window), sets the lock the policy asks for
 * (`throttlePolicy` in throttle-policy.ts, the same formula) unless a longer one is in place, and
 * ends the reservation, all in one step: no attempt sees the failure counted without its lock, or
 * counted twice. Returns the failures and the milliseconds left on the lock.
 */
export const settleFailureScript = redisScript(`
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
local excess = count - tonumber(ARGV[3])
if excess > 0 then
  local ms = math.min(tonumber(ARGV[5]), tonumber(ARGV[4]) * 2 ^ math.min(excess - 1, 52)) * 1000
  if redis.call('PTTL', KEYS[2]) < ms then redis.call('SET', KEYS[2], '1', 'PX', string.format('%d', ms)) end
end
redis.call('ZREM', KEYS[3], ARGV[1])
return {count, redis.call('PTTL', KEYS[2])}`);

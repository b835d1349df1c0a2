import { redisScript } from '../../adapters/redis/redis-script.ts';

/**
 * Every change of an account bumps its `rev` field; a change given an expected revision
 * (ARGV[1], empty for none) is made only if `rev` still is it: a compare-and-set, so of two
 * operators changing one account from the same revision exactly one succeeds.
 */
const EXPECTED = `
if ARGV[1] ~= '' and (redis.call('HGET', KEYS[1], 'rev') or '0') ~= ARGV[1] then return -2 end`;

/**
 * KEYS: usernames, account, by-username, by-email. ARGV: username, id, email index member
 * (empty for none), field/value pairs. 1 created, 0 username taken, -1 id taken (nothing is
 * written unless 1).
 */
export const createAccountScript = redisScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[4], 0, ARGV[3]) end
return 1`);

/** KEYS: account. ARGV: expected revision, field/value pairs. 1 updated, 0 no such account, -2 another revision. */
export const updateAccountScript = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end${EXPECTED}
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1`);

/**
 * KEYS: account. ARGV: expected hash, new hash. Replaces the password hash only if it is still
 * the expected one, so an upgrade never overwrites a password changed in the meantime.
 */
export const replaceHashScript = redisScript(`
if redis.call('HGET', KEYS[1], 'password_hash') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'password_hash', ARGV[2])
return 1`);

/**
 * KEYS: account, usernames, by-username, by-email. ARGV: expected revision, id, email index
 * member (empty: none). 1 deleted (username freed, out of the indexes), 0 no such account,
 * -2 another revision.
 */
export const deleteAccountScript = redisScript(`
local username = redis.call('HGET', KEYS[1], 'username')
if not username then return 0 end${EXPECTED}
if redis.call('HGET', KEYS[2], username) == ARGV[2] then
  redis.call('HDEL', KEYS[2], username)
  redis.call('ZREM', KEYS[3], username)
end
if ARGV[3] ~= '' then redis.call('ZREM', KEYS[4], ARGV[3]) end
redis.call('DEL', KEYS[1])
return 1`);

/**
 * KEYS: account, by-email. ARGV: expected revision, old email member (empty: none), new email
 * member (empty: none), n, n fields to delete, then field/value pairs to set.
 * 1 updated, 0 no such account, -2 another revision.
 */
export const replaceProfileScript = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end${EXPECTED}
local n = tonumber(ARGV[4])
if n > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV, 5, n + 4)) end
redis.call('HSET', KEYS[1], unpack(ARGV, n + 5))
redis.call('HINCRBY', KEYS[1], 'rev', 1)
if ARGV[2] ~= ARGV[3] then
  if ARGV[2] ~= '' then redis.call('ZREM', KEYS[2], ARGV[2]) end
  if ARGV[3] ~= '' then redis.call('ZADD', KEYS[2], 0, ARGV[3]) end
end
return 1`);

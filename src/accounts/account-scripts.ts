import { redisScript } from '../../adapters/redis/redis-script.ts';

/**
 * KEYS: usernames, account. ARGV: username, id, field/value pairs.
 * 1 created, 0 username taken, -1 id taken (nothing is written unless 1).
 */
export const createAccountScript = redisScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`);

/** KEYS: account. ARGV: field/value pairs. 1 updated, 0 no such account. */
export const updateAccountScript = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`);

/**
 * KEYS: account. ARGV: expected hash, new hash. Replaces the password hash only if it is still
 * the expected one, so an upgrade never overwrites a password changed in the meantime.
 */
export const replaceHashScript = redisScript(`
if redis.call('HGET', KEYS[1], 'password_hash') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'password_hash', ARGV[2])
return 1`);

/** KEYS: usernames, account. ARGV: id. 1 deleted (username freed), 0 no such account. */
export const deleteAccountScript = redisScript(`
local username = redis.call('HGET', KEYS[2], 'username')
if not username then return 0 end
if redis.call('HGET', KEYS[1], username) == ARGV[1] then redis.call('HDEL', KEYS[1], username) end
redis.call('DEL', KEYS[2])
return 1`);

/**
 * KEYS: account. ARGV: n, n fields to delete, then field/value pairs to set.
 * 1 updated, 0 no such account.
 */
export const replaceProfileScript = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = tonumber(ARGV[1])
if n > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV, 2, n + 1)) end
redis.call('HSET', KEYS[1], unpack(ARGV, n + 2))
return 1`);

import { redisScript } from '../../adapters/redis/redis-script.ts';

/**
 * KEYS: records hash, version counter, rotation lock (one hash slot). ARGV: lock token ('' when
 * no lock is held: adding keys), mode (`add` refuses a name that exists), JSON array of names to
 * delete, JSON object of name → record to set. Writes everything and bumps the version in one
 * step; refuses (LOCKLOST) when the lock is no longer the caller's. Returns the new version.
 */
export const applyKeysScript = redisScript(`
if ARGV[1] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('LOCKLOST') end
local drop = cjson.decode(ARGV[3])
local set = cjson.decode(ARGV[4])
if ARGV[2] == 'add' then
  for name, _ in pairs(set) do
    if redis.call('HEXISTS', KEYS[1], name) == 1 then return redis.error_reply('EXISTS ' .. name) end
  end
end
for _, name in ipairs(drop) do redis.call('HDEL', KEYS[1], name) end
for name, record in pairs(set) do redis.call('HSET', KEYS[1], name, record) end
return redis.call('INCR', KEYS[2])`);

/** KEYS: lock. ARGV: token. Deletes the lock only if it is still the caller's (compare-and-delete). */
export const releaseLockScript = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

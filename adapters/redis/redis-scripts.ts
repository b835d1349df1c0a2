import { redisScript } from './redis-script.ts';

/**
 * KEYS: record, its consumed marker, family index, family Grant (all one slot). ARGV: now,
 * grace seconds. Sets the marker unless it is already set (compare-and-set). A second use
 * within the grace period is let through; after it, it is a replay and the whole family goes,
 * as the engine does when it meets a consumed code or refresh token.
 * Returns 1 consumed now, 0 replay (family revoked), -1 no such record.
 */
export const consumeScript = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then ttl = 86400000 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ttl) then return 1 end
if tonumber(ARGV[1]) - tonumber(redis.call('GET', KEYS[2]) or 0) < tonumber(ARGV[2]) then return 1 end
if KEYS[3] ~= KEYS[1] then
  for _, key in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do redis.call('DEL', key, key .. ':consumed') end
  redis.call('DEL', KEYS[3], KEYS[4])
end
return 0`);

/** KEYS: family index. Deletes every member with its marker, then the index: one round trip. */
export const revokeFamilyScript = redisScript(`
local members = redis.call('LRANGE', KEYS[1], 0, -1)
for _, key in ipairs(members) do redis.call('DEL', key, key .. ':consumed') end
redis.call('DEL', KEYS[1])
return #members`);

/**
 * The revocation log in Redis, all under one hash tag (one Cluster slot): KEYS are the
 * sequence counter, the log (sorted set: member → sequence), the expiries (sorted set:
 * member → exp), the data (hash: member → JSON `[exp, iat_max]`) and the epoch. A member is
 * `<claim> <value>`. Every key expires with the longest entry, so an empty log leaves nothing.
 */

/**
 * ARGV: now, a fresh epoch, then per entry: member, exp, iat_max ('' for none). Merges each
 * entry with the one it replaces (later exp, later iat_max), gives it the next sequence number,
 * and forgets up to 1000 expired entries. Returns the last sequence number.
 */
export const ADD_ENTRIES = `
local now = tonumber(ARGV[1])
redis.call('SET', KEYS[5], ARGV[2], 'NX')
local seq = 0
local longest = 0
for i = 3, #ARGV, 3 do
  local member, exp, iatMax = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local old = redis.call('HGET', KEYS[4], member)
  if old then
    local known = cjson.decode(old)
    if known[1] > exp then exp = known[1] end
    if iatMax and known[2] then
      if known[2] > iatMax then iatMax = known[2] end
    else
      iatMax = nil
    end
  end
  seq = redis.call('INCR', KEYS[1])
  redis.call('ZADD', KEYS[2], seq, member)
  redis.call('ZADD', KEYS[3], exp, member)
  if iatMax then redis.call('HSET', KEYS[4], member, '[' .. exp .. ',' .. iatMax .. ']')
  else redis.call('HSET', KEYS[4], member, '[' .. exp .. ']') end
  if exp > longest then longest = exp end
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. now, 'LIMIT', 0, 1000)
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[2], member)
  redis.call('ZREM', KEYS[3], member)
  redis.call('HDEL', KEYS[4], member)
end
for k = 1, 5 do
  redis.call('EXPIREAT', KEYS[k], longest + 1, 'GT')
  redis.call('EXPIREAT', KEYS[k], longest + 1, 'NX')
end
return seq`;

/**
 * ARGV: since, limit. Returns the epoch, the last sequence number, then per entry after
 * \`since\` (at most limit): member, sequence, data.
 */
export const READ_ENTRIES = `
local epoch = redis.call('GET', KEYS[5]) or ''
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local found = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = { epoch, last }
for i = 1, #found, 2 do
  out[#out + 1] = found[i]
  out[#out + 1] = found[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[4], found[i]) or ''
end
return out`;

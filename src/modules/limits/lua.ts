// Redis Lua scripts: each runs atomically, so N gateways share one exact limit and one budget.

/**
 * ADMIT — GCRA rate limit, then budget/plan reservation, in one round trip.
 * KEYS: 1 rate TAT, 2 key budget hash, 3 team budget hash, 4 month-seeded marker
 * ARGV: 1 now (ms), 2 limit/min (0 = do not count), 3 amount µ$, 4 key budget µ$ (-1 none), 5 team budget µ$ (-1 none),
 *       6 team token cap (-1 none), 7 reservation field "r:<instance>", 8 instance liveness key prefix
 * Returns {rate_ok, remaining, reset_ms, retry_ms, budget_code, spent, reserved}
 *   budget_code: 0 ok, 1 key over, 2 team over, 3 plan tokens, -1 month not seeded (nothing changed)
 * Reservations are kept per instance; a dead instance's share is dropped once its liveness key expires.
 */
export const ADMIT = `
if redis.call('EXISTS', KEYS[4]) == 0 then return {0, 0, 0, 0, -1, 0, 0} end
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = 60000
local remaining = 0
local reset_ms = 0
local nxt = nil
-- limit 0: a fallback attempt of a request whose rate was already counted.
if limit > 0 then
  local interval = window / limit
  local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
  if tat < now then tat = now end
  nxt = tat + interval
  if nxt - now > window + 0.000001 then
    return {0, 0, math.ceil(tat - now), math.ceil(nxt - now - window), 0, 0, 0}
  end
  remaining = math.floor((window - (nxt - now)) / interval + 0.000000001)
  reset_ms = math.ceil(nxt - now)
end

local function reserved(h)
  local fields = redis.call('HGETALL', h)
  local sum = 0
  for i = 1, #fields, 2 do
    local f = fields[i]
    if string.sub(f, 1, 2) == 'r:' then
      if redis.call('EXISTS', ARGV[8] .. string.sub(f, 3)) == 1 then
        sum = sum + tonumber(fields[i + 1])
      else
        redis.call('HDEL', h, f)
      end
    end
  end
  return sum
end

local amount = tonumber(ARGV[3])
local key_budget = tonumber(ARGV[4])
local team_budget = tonumber(ARGV[5])
local token_cap = tonumber(ARGV[6])
local team_tokens = tonumber(redis.call('HGET', KEYS[3], 'tokens') or '0')
if token_cap >= 0 and team_tokens >= token_cap then
  return {1, remaining, reset_ms, 0, 3, team_tokens, 0}
end
local key_spent = tonumber(redis.call('HGET', KEYS[2], 'spent') or '0')
local key_res = reserved(KEYS[2])
if key_budget >= 0 and key_spent + key_res + amount > key_budget then
  return {1, remaining, reset_ms, 0, 1, key_spent, key_res}
end
local team_spent = tonumber(redis.call('HGET', KEYS[3], 'spent') or '0')
local team_res = reserved(KEYS[3])
if team_budget >= 0 and team_spent + team_res + amount > team_budget then
  return {1, remaining, reset_ms, 0, 2, team_spent, team_res}
end
if nxt then redis.call('SET', KEYS[1], string.format('%.3f', nxt), 'PX', reset_ms + 1000) end
redis.call('HINCRBY', KEYS[2], ARGV[7], amount)
redis.call('HINCRBY', KEYS[3], ARGV[7], amount)
redis.call('PEXPIRE', KEYS[2], 3456000000)
redis.call('PEXPIRE', KEYS[3], 3456000000)
return {1, remaining, reset_ms, 0, 0, 0, 0}
`;

/**
 * SETTLE — the reservation is replaced by the real cost and tokens.
 * KEYS: 1 key budget hash, 2 team budget hash; ARGV: 1 reservation field, 2 amount, 3 cost µ$, 4 tokens
 */
export const SETTLE = `
for i = 1, 2 do
  local left = redis.call('HINCRBY', KEYS[i], ARGV[1], -tonumber(ARGV[2]))
  if left <= 0 then redis.call('HDEL', KEYS[i], ARGV[1]) end
  redis.call('HINCRBY', KEYS[i], 'spent', tonumber(ARGV[3]))
  redis.call('HINCRBY', KEYS[i], 'tokens', tonumber(ARGV[4]))
end
return 1
`;

/**
 * SEED — a month's settled figures from the spend log replace what Redis holds, then the marker is set.
 * KEYS: 1 marker; ARGV: 1 key prefix of budget hashes, then triples (subject, spent, tokens)
 */
export const SEED = `
for i = 2, #ARGV, 3 do
  local h = ARGV[1] .. ARGV[i]
  redis.call('HSET', h, 'spent', ARGV[i + 1], 'tokens', ARGV[i + 2])
  redis.call('PEXPIRE', h, 3456000000)
end
redis.call('SET', KEYS[1], '1', 'PX', 3456000000)
return 1
`;

/**
 * A sliding-window attempt gate on one sorted set (member per attempt, score = its time).
 * KEYS[1] the gate's set. ARGV: now, windowMs, max, op ("check" | "record" | "take"), member.
 * Returns {allowed 1|0, ms until the attempt that decides leaves the window}.
 */
export const ATTEMPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local op = ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local n = redis.call('ZCARD', key)
if op == 'record' or (op == 'take' and n < max) then
  redis.call('ZADD', key, now, ARGV[5])
  -- Only the last max attempts can decide anything.
  redis.call('ZREMRANGEBYRANK', key, 0, -(max + 1))
  redis.call('PEXPIRE', key, window)
  return {1, 0}
end
if n < max then return {1, 0} end
local oldest = redis.call('ZRANGE', key, n - max, n - max, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
`;

/**
 * SLOT_TAKE — one more request in flight for a key, if under its cap.
 * KEYS: 1 the key's slot hash (field "<instance>|<lease>" → instance)
 * ARGV: 1 field, 2 instance, 3 max, 4 instance liveness key prefix, 5 hash expiry (ms)
 * Returns {taken (1/0), in flight after}. Slots of instances whose liveness key has expired (a crashed
 * or cut-off gateway) are dropped first, so they cannot hold a key's slots for longer than that TTL.
 */
export const SLOT_TAKE = `
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if redis.call('EXISTS', ARGV[4] .. all[i + 1]) == 0 then redis.call('HDEL', KEYS[1], all[i]) end
end
local n = redis.call('HLEN', KEYS[1])
if n >= tonumber(ARGV[3]) then return {0, n} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return {1, n + 1}
`;

/** SLOT_COUNT — live requests in flight for a key (dead instances' slots dropped). KEYS/ARGV as SLOT_TAKE's 1 and 4. */
export const SLOT_COUNT = `
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if redis.call('EXISTS', ARGV[1] .. all[i + 1]) == 0 then redis.call('HDEL', KEYS[1], all[i]) end
end
return redis.call('HLEN', KEYS[1])
`;

-- Tracker requests with browser ids shaped like the SDK's (random UUIDs), for bench/scale.
-- Environment: TRACKER_PATH (/api/v1/tracker/assign | convert), EXPERIMENT_ID, SEED, LOADED.
--   LOADED = 0: a new random id per request (new visitors);
--   LOADED = N: a random one of the N visitors the benchmark bulk-loaded (bench/scale/bulk-load.ts
--   builds visitor i's id the same way: loadedId below).
local path = os.getenv("TRACKER_PATH")
local exp = os.getenv("EXPERIMENT_ID")
local loaded = tonumber(os.getenv("LOADED") or "0")
math.randomseed(os.time() + tonumber(os.getenv("SEED") or "0"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

-- i * 3^18 mod 2^32 is a bijection on 32-bit integers (an odd multiplier), exact in a double for
-- i < 2.3e7, so the leading hex digits, and the index positions, are scattered like random UUIDs'.
local function loadedId(i)
  local h = (i * 387420489) % 4294967296
  return string.format("%08x-0000-4000-8000-%012x", h, i)
end

local function randomId()
  return string.format("%08x-%04x-4%03x-%04x-%06x%06x", math.random(0, 4294967295), math.random(0, 65535),
    math.random(0, 4095), math.random(32768, 49151), math.random(0, 16777215), math.random(0, 16777215))
end

request = function()
  local id
  if loaded > 0 then id = loadedId(math.random(0, loaded - 1)) else id = randomId() end
  return wrk.format(nil, path, nil, '{"experiment_id":"' .. exp .. '","browser_id":"' .. id .. '"}')
end

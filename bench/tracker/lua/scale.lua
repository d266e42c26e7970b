-- Tracker requests with browser ids shaped like the SDK's, for bench/scale. Environment:
-- TRACKER_PATH (/api/v1/tracker/assign | convert), EXPERIMENT_ID, SEED, LOADED, IDS, BASE_MS, START_MS.
--   LOADED = 0: a new id per request (new visitors); LOADED = N: a random one of the N visitors the
--   benchmark bulk-loaded (bench/scale/bulk-load.ts builds visitor i's id as loadedId does here).
--   IDS = time: ids as the SDK makes them (packages/sdk/src/identity.ts): 12 hex digits of the time
--   in ms, then random ones; loaded visitor i arrived at BASE_MS + i, this run's at START_MS and
--   after (about four per millisecond). IDS = random: random UUIDs (the SDK's ids before).
local path = os.getenv("TRACKER_PATH")
local exp = os.getenv("EXPERIMENT_ID")
local loaded = tonumber(os.getenv("LOADED") or "0")
local timeOrdered = os.getenv("IDS") ~= "random"
local base = tonumber(os.getenv("BASE_MS") or "0")
local start = tonumber(os.getenv("START_MS") or "0")
local counter = 0
math.randomseed(os.time() + tonumber(os.getenv("SEED") or "0"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

-- i * 3^18 mod 2^32 is a bijection on 32-bit integers (an odd multiplier), exact in a double for
-- i < 2.3e7, so these digits, and a random id's index positions, are scattered like random UUIDs'.
local function scatter(i)
  return (i * 387420489) % 4294967296
end

local function loadedId(i)
  if timeOrdered then return string.format("%012x%08x%012x", base + i, scatter(i), i) end
  return string.format("%08x-0000-4000-8000-%012x", scatter(i), i)
end

local function newId()
  if timeOrdered then
    counter = counter + 1
    return string.format("%012x%010x%010x", start + math.floor(counter / 4), math.random(0, 1099511627775),
      math.random(0, 1099511627775))
  end
  return string.format("%08x-%04x-4%03x-%04x-%06x%06x", math.random(0, 4294967295), math.random(0, 65535),
    math.random(0, 4095), math.random(32768, 49151), math.random(0, 16777215), math.random(0, 16777215))
end

request = function()
  local id
  if loaded > 0 then id = loadedId(math.random(0, loaded - 1)) else id = newId() end
  return wrk.format(nil, path, nil, '{"experiment_id":"' .. exp .. '","browser_id":"' .. id .. '"}')
end

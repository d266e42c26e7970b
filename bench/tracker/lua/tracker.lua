-- Tracker requests for wrk. Environment: TRACKER_PATH (/api/v1/tracker/assign | convert),
-- EXPERIMENT_ID, PREFIX (browser id prefix), RANGE (0: a new id per request; N: random among
-- PREFIX0 … PREFIX(N-1), i.e. returning visitors).
local path = os.getenv("TRACKER_PATH")
local exp = os.getenv("EXPERIMENT_ID")
local prefix = os.getenv("PREFIX") or "v"
local range = tonumber(os.getenv("RANGE") or "0")
local counter = 0
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local id
  if range > 0 then
    id = prefix .. math.random(0, range - 1)
  else
    counter = counter + 1
    id = prefix .. counter
  end
  return wrk.format(nil, path, nil, '{"experiment_id":"' .. exp .. '","browser_id":"' .. id .. '"}')
end

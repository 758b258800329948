-- wrk script: POST /api/query with a tunnel at a random place of the register's extent.
-- Environment: STRATA_TOKEN (a planner's token), STRATA_EXTENT "minx,miny,minz,maxx,maxy,maxz".
local token = os.getenv("STRATA_TOKEN") or "planner-token"
local e = {}
for v in string.gmatch(os.getenv("STRATA_EXTENT") or "0,0,0,1000,1000,50", "[^,]+") do
  e[#e + 1] = tonumber(v)
end

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed)
end

-- A straight 200 m tunnel, 3 m in radius with 2 m clearance, at a random place and depth.
request = function()
  local x = e[1] + math.random() * (e[4] - e[1] - 200)
  local y = e[2] + math.random() * (e[5] - e[2] - 200)
  local z = e[3] + 3 + math.random() * (e[6] - e[3] - 6)
  local a = math.random() * 2 * math.pi
  local body = string.format(
    '{"tunnel":{"centreline":[[%.3f,%.3f,%.3f],[%.3f,%.3f,%.3f]],' ..
    '"section":{"circle":{"radius":3}},"clearance":2}}',
    x, y, z, x + 200 * math.cos(a), y + 200 * math.sin(a), z)
  return wrk.format("POST", "/api/query", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

local failed = 0
response = function(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    if failed <= 3 then io.stderr:write("status " .. status .. ": " .. body .. "\n") end
  end
end

-- The request mix for scripts/load (placeholders @…@ are filled in by the script).
-- Weights: signed-in pages 40 %, API 30 %, public portal and open data 30 %.
-- Signed-in requests take turns among the people's sessions (@COOKIES@), so per-person caches
-- (header, pending count, review queue) are exercised as by that many different people.
local cookies = @COOKIES@
local think = @THINK_MS@  -- a person's pause between two requests, in ms (±50 %); 0: back to back
local bearer = "Bearer @TOKEN@"
local mix = {
  {"/tableros/", "session", 10}, {"/tableros/entidad/10/", "session", 10},
  {"/indicadores/@PRIVATE@/", "session", 10}, {"/indicadores/revision/", "session", 10},
  {"/api/v1/updates?limit=50", "api", 15}, {"/api/v1/indicators?limit=50", "api", 15},
  {"/portal/", "public", 8}, {"/portal/indicadores/", "public", 8},
  {"/portal/indicadores/@PUBLIC@/", "public", 8}, {"/datos/", "public", 4}, {"/datos/valores-aprobados.csv", "public", 2},
}
local plan = {}
for _, entry in ipairs(mix) do for _ = 1, entry[3] do table.insert(plan, entry) end end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
  errors = 0
  counter = math.random(#plan)
  person = math.random(#cookies)
  bad = ""
end

function delay()
  if think <= 0 then return 0 end
  return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
end

function request()
  counter = counter % #plan + 1
  local entry = plan[counter]
  local headers = {}
  if entry[2] == "session" then
    person = person % #cookies + 1
    headers["Cookie"] = cookies[person]
  end
  if entry[2] == "api" then headers["Authorization"] = bearer end
  last = entry[1]
  return wrk.format("GET", entry[1], headers)
end

function response(status, headers, body)
  if status >= 400 then
    errors = errors + 1
    if #bad < 300 then bad = bad .. status .. " " .. last .. "; " end
  end
end

function done(summary, latency, requests)
  local errs, samples = 0, ""
  for _, t in ipairs(threads) do errs = errs + t:get("errors"); samples = samples .. t:get("bad") end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("\nRESULTADO peticiones=%d  rendimiento=%.1f req/s  p50=%.1f ms  p95=%.1f ms  p99=%.1f ms  " ..
    "errores_http=%d  errores_socket=%d\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errs, socket))
  if errs > 0 then io.write("ejemplos: " .. samples .. "\n") end
end

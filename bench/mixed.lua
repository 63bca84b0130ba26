-- wrk script for bench/mixed.py, which fills in the values: a doubled percent sign here is one in Lua.
local reads = %(reads)s
local sessions = %(sessions)s
local targets = %(targets)s
local words = %(words)s
local anonymous_share, signed_share = %(anonymous)s, %(signed)s
local created = 0
local threads = {}

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(args[1])
  math.randomseed(os.time() * 1000 + id)
  poster = id
  statuses = {}
  posts = 0
end

local function sentence()
  local parts = {}
  for i = 1, 12 do parts[i] = words[math.random(#words)] end
  return "Bench reply: " .. table.concat(parts, " ") .. "."
end

local function urlencode(text)
  return (text:gsub("[^%%w%%-_%%.~]", function(c) return string.format("%%%%%%02X", string.byte(c)) end))
end

function request()
  local r = math.random()
  if r < anonymous_share then
    return wrk.format("GET", reads[math.random(#reads)])
  end
  if r < anonymous_share + signed_share then
    local s = sessions[math.random(#sessions)]
    return wrk.format("GET", reads[math.random(#reads)], {["Cookie"] = s.cookie})
  end
  local s = sessions[(poster %% #sessions) + 1]
  poster = poster + nthreads
  posts = posts + 1
  local body = "body=" .. urlencode(sentence()) .. "&csrfmiddlewaretoken=" .. s.token
  return wrk.format("POST", targets[math.random(#targets)],
    {["Cookie"] = s.cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals, sent = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + n end
    sent = sent + thread:get("posts")
  end
  for status, n in pairs(totals) do io.write(string.format("STATUS %%d %%d\n", status, n)) end
  io.write(string.format("POSTS %%d\n", sent))
  for _, p in ipairs({50, 90, 99}) do io.write(string.format("P%%d %%d\n", p, latency:percentile(p))) end
  io.write(string.format("REQUESTS %%d\nERRORS %%d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

-- bench/api/proposals.lua — POST /api/processes/ocean-data/proposals, each
-- request with its own Idempotency-Key.
--
-- The server records a key once and answers a repeated key with the first
-- outcome without recording anything, so reusing keys would measure the
-- idempotency cache, not tabling. Key = RUN-TID-N: RUN is given after `--` as
-- run=RUN (bench/api.sh passes the scenario, connection count and its own pid,
-- so the runs against the same server never share a key), TID is the wrk
-- thread's number (common.setup), N a counter in that thread's Lua state.
-- Optional rate=N threads=T: N requests/s in total (common.pace) instead of
-- closed loop. Authorization and Content-Type come from wrk -H, unless
-- as=ID:TOKEN,ID:TOKEN,... is given: then the requests take turns among those
-- delegations (each its own token and on_behalf_of), so that a long run does
-- not meet the per-delegation cap on live proposals (bench/nodes.py).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

setup = common.setup
done = common.done
response = common.count_response

local run = "run"
local n = 0
local function body_for(delegation)
    return '{"paragraph":"27","on_behalf_of":"' .. delegation .. '",'
        .. '"edit":{"kind":"insert","at":0,"text":"Furthermore, "},"rationale":"bench"}'
end
local body = body_for("valdoria")
local authors = {}

function init(args)
    local o = common.options(args)
    if o.run then run = o.run end
    if o.rate then common.pace(o.rate, o.threads) end
    if o.as then
        for id, token in string.gmatch(o.as, "([^,:]+):([^,]+)") do
            table.insert(authors, { auth = "Bearer " .. token, body = body_for(id) })
        end
    end
end

-- wrk.format's headers argument replaces wrk.headers (the -H ones) rather than
-- adding to them, so they are copied in first.
local headers = {}

function request()
    n = n + 1
    for k, v in pairs(wrk.headers) do headers[k] = v end
    headers["Idempotency-Key"] = run .. "-" .. tid .. "-" .. n
    if #authors > 0 then
        local a = authors[n % #authors + 1]
        headers["Authorization"] = a.auth
        return wrk.format("POST", nil, headers, a.body)
    end
    return wrk.format("POST", nil, headers, body)
end

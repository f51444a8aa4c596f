-- bench/api/get.lua — a plain GET of the URL given to wrk (headers from wrk -H).
-- No `response` hook: wrk counts statuses >= 400 itself (see common.lua).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

setup = common.setup
done = common.done

-- wrk script: ALLOC / DEALLOC pairs. Each thread keeps the tags its ALLOCs got
-- and frees them, so at most one allocation per connection is live and every
-- request succeeds on a 64-page heap. Usage (after POST /new?p=16&N=64):
--   wrk -t2 -c16 -d10s -s Benchmarks/http/alloc-dealloc.lua --latency http://127.0.0.1:8080
local tags = {}
request = function()
  local tag = table.remove(tags)
  if tag then
    return wrk.format("POST", "/dealloc?tag=" .. tag)
  end
  return wrk.format("POST", "/alloc?M=16")
end
response = function(status, headers, body)
  if status == 201 then
    table.insert(tags, (body:gsub("%s+", "")))
  end
end

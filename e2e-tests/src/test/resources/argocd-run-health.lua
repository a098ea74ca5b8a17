-- Runs an Argo CD health script on one object given as JSON, the way Argo CD does (the object as global
-- `obj`, the script returns {status, message}), and prints "STATUS<TAB>message". For tests.
local cjson = require("cjson")
local script, object = arg[1], arg[2]
local file = assert(io.open(object))
obj = cjson.decode(file:read("*a"))
file:close()
local hs = dofile(script)
print(hs.status .. "\t" .. (hs.message or ""))

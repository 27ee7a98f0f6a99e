# POL003 resource-requests-limits: every container states its CPU and
# memory requests and limits (the list is `requiredResources`).
package gitopsc.builtin.resources

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": path} if {
	lib.is_workload(input)
	some x in lib.containers_of(input, ["containers", "initContainers"])
	missing := [r |
		some r in data.gitopsc.params.requiredResources
		not has_resource(x.c, r)
	]
	count(missing) > 0
	msg := sprintf("%s does not set %s", [x.what, concat(", ", [sprintf("resources.%s", [r]) | some r in missing])])
	path := sprintf("%s.resources", [x.path])
}

has_resource(c, r) if {
	parts := split(r, ".")
	c.resources[parts[0]][parts[1]] != null
}

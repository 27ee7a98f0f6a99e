# POL004 probes: long-running containers have liveness and readiness
# probes, in the environments that ask for them (`requireProbes`).
package gitopsc.builtin.probes

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": path} if {
	data.gitopsc.params.requireProbes
	lib.serving_kinds[input.kind]
	some x in lib.containers_of(input, ["containers"])
	missing := [p | some p in ["livenessProbe", "readinessProbe"]; not x.c[p]]
	count(missing) > 0
	msg := sprintf("%s has no %s (required in %s)", [x.what, concat(" or ", missing), data.gitopsc.environment])
	path := x.path
}

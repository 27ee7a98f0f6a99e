# POL001 run-as-non-root: every container runs with a non-zero user.
package gitopsc.builtin.run_as_non_root

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": path} if {
	lib.is_workload(input)
	pod_sc := object.get(lib.pod_spec(input), "securityContext", {})
	some x in lib.containers_of(input, lib.all_fields)
	sc := object.get(x.c, "securityContext", {})
	not non_root(sc, pod_sc)
	msg := sprintf("%s may run as root: set securityContext.runAsNonRoot: true (or a non-zero runAsUser)", [x.what])
	path := where(x, sc, pod_sc)
}

# The field to edit: the runAsUser: 0 that decides, else the container's
# securityContext.
where(x, sc, pod_sc) := sprintf("%s.securityContext.runAsUser", [x.path]) if sc.runAsUser == 0

where(x, sc, pod_sc) := sprintf("%s.securityContext.runAsUser", [lib.pod_spec_path(input)]) if {
	not lib.has_key(sc, "runAsUser")
	pod_sc.runAsUser == 0
}

where(x, sc, pod_sc) := sprintf("%s.securityContext", [x.path]) if {
	not effective(sc, pod_sc, "runAsUser") == 0
}

# The container's own settings win over the pod's.
effective(sc, pod_sc, key) := sc[key]

effective(sc, pod_sc, key) := pod_sc[key] if not lib.has_key(sc, key)

non_root(sc, pod_sc) if {
	effective(sc, pod_sc, "runAsUser") != 0
	is_number(effective(sc, pod_sc, "runAsUser"))
}

non_root(sc, pod_sc) if {
	effective(sc, pod_sc, "runAsNonRoot") == true
	not effective(sc, pod_sc, "runAsUser") == 0
}

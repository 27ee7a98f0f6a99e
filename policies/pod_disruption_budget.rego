# POL011 pod-disruption-budget: in production, a workload with more than
# one replica has a PodDisruptionBudget selecting its pods. Evaluated once
# per target (no input).
package gitopsc.builtin.pod_disruption_budget

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": "spec.replicas", "resource": i} if {
	data.gitopsc.params.production
	some i, r in data.gitopsc.resources
	r.kind in {"Deployment", "StatefulSet", "ReplicaSet"}
	replicas := object.get(r.spec, "replicas", 1)
	replicas > 1
	ns := lib.namespace_of(r)
	labels := lib.pod_labels(r)
	not covered(ns, labels)
	msg := sprintf("%d replicas but no PodDisruptionBudget selects its pods: a node drain may evict them all at once", [replicas])
}

covered(ns, labels) if {
	some p in pdbs
	lib.namespace_of(p) == ns
	sel := object.get(p.spec, "selector", {})
	count(object.get(sel, "matchLabels", {})) + count(object.get(sel, "matchExpressions", [])) > 0
	lib.selector_matches(sel, labels)
}

pdbs := [p | some p in data.gitopsc.environment_resources; p.kind == "PodDisruptionBudget"]

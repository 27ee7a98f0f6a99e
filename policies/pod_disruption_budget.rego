# POL011 pod-disruption-budget: in production, a workload with more than
# one replica has a PodDisruptionBudget selecting its pods. Evaluated once
# per environment (no input): the budget may come from any target of the
# environment (`data.gitopsc.index`).
package gitopsc.builtin.pod_disruption_budget

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": "spec.replicas", "target": t.id, "resource": i} if {
	data.gitopsc.params.production
	some t in data.gitopsc.targets
	some i, r in t.resources
	r.kind in {"Deployment", "StatefulSet", "ReplicaSet"}
	replicas := object.get(r.spec, "replicas", 1)
	replicas > 1
	not covered(lib.namespace_of(r), lib.pod_labels(r))
	msg := sprintf("%d replicas but no PodDisruptionBudget selects its pods: a node drain may evict them all at once", [replicas])
}

# Only budgets that could select the pods are tried: those requiring one
# of the pods' labels, and those selecting by expressions only.
covered(ns, labels) if {
	some k, v in labels
	some sel in by_label[json.marshal([ns, k, v])]
	lib.selector_matches(sel, labels)
}

covered(ns, labels) if {
	some sel in by_expressions[ns]
	lib.selector_matches(sel, labels)
}

# Non-empty selectors of the environment's budgets, keyed by namespace and
# each label they require.
by_label[key] contains sel if {
	some [ns, sel] in selectors
	some k, v in object.get(sel, "matchLabels", {})
	key := json.marshal([ns, k, v])
}

by_expressions[ns] contains sel if {
	some [ns, sel] in selectors
	count(object.get(sel, "matchLabels", {})) == 0
}

selectors contains [ns, sel] if {
	some ns, kinds in data.gitopsc.index
	some p in object.get(kinds, "PodDisruptionBudget", [])
	sel := object.get(p.spec, "selector", {})
	count(object.get(sel, "matchLabels", {})) + count(object.get(sel, "matchExpressions", [])) > 0
}

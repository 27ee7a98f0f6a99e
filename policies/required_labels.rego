# POL007 required-labels: workloads carry the labels listed in
# `requiredLabels`.
package gitopsc.builtin.required_labels

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": "metadata.labels"} if {
	lib.is_workload(input)
	labels := object.get(input, ["metadata", "labels"], {})
	missing := [l | some l in data.gitopsc.params.requiredLabels; not labels[l]]
	count(missing) > 0
	msg := sprintf("missing required label%s %s", [plural(missing), concat(", ", missing)])
}

plural(xs) := "s" if count(xs) > 1

plural(xs) := "" if count(xs) <= 1

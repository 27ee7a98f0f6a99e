# Helpers shared by the built-in pack: where a workload keeps its pod
# spec, its containers with their field paths, label selectors.
package gitopsc.builtin.lib

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}

# Kinds whose pods serve traffic for a long time (probes, PDBs apply).
serving_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}

is_workload(r) if workload_kinds[r.kind]

# The field path of a workload's pod spec.
pod_spec_path(r) := "spec" if r.kind == "Pod"

pod_spec_path(r) := "spec.template.spec" if {
	r.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
}

pod_spec_path(r) := "spec.jobTemplate.spec.template.spec" if r.kind == "CronJob"

pod_spec(r) := r.spec if r.kind == "Pod"

pod_spec(r) := r.spec.template.spec if {
	r.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
}

pod_spec(r) := r.spec.jobTemplate.spec.template.spec if r.kind == "CronJob"

# Labels of the pods a workload creates.
pod_labels(r) := object.get(r, ["metadata", "labels"], {}) if r.kind == "Pod"

pod_labels(r) := object.get(r, ["spec", "template", "metadata", "labels"], {}) if {
	r.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
}

pod_labels(r) := object.get(r, ["spec", "jobTemplate", "spec", "template", "metadata", "labels"], {}) if {
	r.kind == "CronJob"
}

# Containers of `fields` (containers, initContainers, ephemeralContainers)
# as {"c": container, "path": field path, "what": "container \"x\""}.
containers_of(r, fields) := [x |
	spec := pod_spec(r)
	some field in fields
	some i, c in object.get(spec, field, [])
	x := {
		"c": c,
		"path": sprintf("%s.%s[%d]", [pod_spec_path(r), field, i]),
		"what": sprintf("%s %q", [container_word[field], object.get(c, "name", "")]),
	}
]

container_word := {
	"containers": "container",
	"initContainers": "init container",
	"ephemeralContainers": "ephemeral container",
}

all_fields := ["containers", "initContainers", "ephemeralContainers"]

namespace_of(r) := object.get(r, ["metadata", "namespace"], "default")

# A label selector (matchLabels, matchExpressions) against labels; an
# empty selector selects everything.
selector_matches(sel, labels) if {
	every k, v in object.get(sel, "matchLabels", {}) {
		labels[k] == v
	}
	every e in object.get(sel, "matchExpressions", []) {
		expression_matches(e, labels)
	}
}

expression_matches(e, labels) if {
	e.operator == "In"
	labels[e.key] in object.get(e, "values", [])
}

expression_matches(e, labels) if {
	e.operator == "NotIn"
	not labels[e.key] in object.get(e, "values", [])
}

expression_matches(e, labels) if {
	e.operator == "Exists"
	_ = labels[e.key]
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not has_key(labels, e.key)
}

has_key(o, k) if _ = o[k]

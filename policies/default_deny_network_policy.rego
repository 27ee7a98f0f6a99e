# POL009 default-deny-network-policy: in production, every namespace that
# runs workloads has a NetworkPolicy denying ingress by default. Evaluated
# once per target (no input): the policy may come from another target of
# the environment.
package gitopsc.builtin.default_deny_network_policy

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": "metadata", "resource": first} if {
	data.gitopsc.params.production
	some ns in workload_namespaces
	not protected[ns]
	first := min({i | some i, r in data.gitopsc.resources; lib.is_workload(r); lib.namespace_of(r) == ns})
	msg := sprintf("namespace %q has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress], no ingress rules): every pod in it accepts traffic from anywhere", [ns])
}

workload_namespaces := {lib.namespace_of(r) | some r in data.gitopsc.resources; lib.is_workload(r)}

protected contains lib.namespace_of(p) if {
	some p in data.gitopsc.environment_resources
	p.kind == "NetworkPolicy"
	default_deny(p)
}

default_deny(p) if {
	sel := object.get(p.spec, "podSelector", {})
	count(object.get(sel, "matchLabels", {})) == 0
	count(object.get(sel, "matchExpressions", [])) == 0
	"Ingress" in object.get(p.spec, "policyTypes", ["Ingress"])
	count(object.get(p.spec, "ingress", [])) == 0
}

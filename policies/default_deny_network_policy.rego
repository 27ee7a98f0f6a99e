# POL009 default-deny-network-policy: in production, every namespace that
# runs workloads has a NetworkPolicy denying ingress by default. Evaluated
# once per environment (no input): the policy may come from any target of
# the environment (`data.gitopsc.index`).
package gitopsc.builtin.default_deny_network_policy

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": "metadata", "target": t.id, "resource": first} if {
	data.gitopsc.params.production
	some t in data.gitopsc.targets
	some ns in {lib.namespace_of(r) | some r in t.resources; lib.is_workload(r)}
	not protected[ns]
	first := min({i | some i, r in t.resources; lib.is_workload(r); lib.namespace_of(r) == ns})
	msg := sprintf("namespace %q has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress], no ingress rules): every pod in it accepts traffic from anywhere", [ns])
}

protected contains ns if {
	some ns, kinds in data.gitopsc.index
	some p in object.get(kinds, "NetworkPolicy", [])
	default_deny(p)
}

default_deny(p) if {
	sel := object.get(p.spec, "podSelector", {})
	count(object.get(sel, "matchLabels", {})) == 0
	count(object.get(sel, "matchExpressions", [])) == 0
	"Ingress" in object.get(p.spec, "policyTypes", ["Ingress"])
	count(object.get(p.spec, "ingress", [])) == 0
}

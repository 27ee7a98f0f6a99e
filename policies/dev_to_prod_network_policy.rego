# POL010 dev-to-prod-network-policy: in production, no NetworkPolicy of a
# production namespace admits traffic from a development namespace.
# Development namespaces: those whose name matches `devNamespaces` or
# whose labels match one of `devNamespaceLabels`, among the namespaces the
# environment renders or uses (`data.gitopsc.namespaces`).
package gitopsc.builtin.dev_to_prod_network_policy

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": path} if {
	data.gitopsc.params.production
	input.kind == "NetworkPolicy"
	not is_dev(lib.namespace_of(input))
	some i, rule in object.get(input.spec, "ingress", [])
	count(object.get(rule, "from", [])) == 0
	msg := "ingress rule admits traffic from every namespace, development ones included: name the allowed namespaces in `from`"
	path := sprintf("spec.ingress[%d]", [i])
}

deny contains {"msg": msg, "path": path} if {
	data.gitopsc.params.production
	input.kind == "NetworkPolicy"
	not is_dev(lib.namespace_of(input))
	some i, rule in object.get(input.spec, "ingress", [])
	some j, peer in object.get(rule, "from", [])
	sel := peer.namespaceSelector
	known := object.union(named(sel), data.gitopsc.namespaces)
	reached := sort([ns | some ns in candidates(sel, known); lib.selector_matches(sel, known[ns]); is_dev(ns)])
	reason := why(sel, reached)
	msg := sprintf("ingress from %s: development namespaces must not reach production", [reason])
	path := sprintf("spec.ingress[%d].from[%d].namespaceSelector", [i, j])
}

why(sel, reached) := "every namespace (empty namespaceSelector)" if {
	count(object.get(sel, "matchLabels", {})) == 0
	count(object.get(sel, "matchExpressions", [])) == 0
}

why(sel, reached) := sprintf("development namespace%s %s", [s, concat(", ", reached)]) if {
	count(reached) > 0
	count(object.get(sel, "matchLabels", {})) + count(object.get(sel, "matchExpressions", [])) > 0
	s := plural(reached)
}

plural(xs) := "s" if count(xs) > 1

plural(xs) := "" if count(xs) <= 1

# The namespaces a selector may select: those it names, when it names
# some (a cheap filter before matching labels).
candidates(sel, known) := {n | some n in names(sel); known[n]} if count(names(sel)) > 0

candidates(sel, known) := object.keys(known) if count(names(sel)) == 0

# Namespaces a selector names by `kubernetes.io/metadata.name`, whether or
# not the environment renders them.
named(sel) := {name: {"kubernetes.io/metadata.name": name} | some name in names(sel)}

names(sel) := {n | n := sel.matchLabels["kubernetes.io/metadata.name"]} | {n |
	some e in object.get(sel, "matchExpressions", [])
	e.key == "kubernetes.io/metadata.name"
	e.operator == "In"
	some n in e.values
}

is_dev(ns) if {
	some g in data.gitopsc.params.devNamespaces
	glob.match(g, [], ns)
}

is_dev(ns) if {
	labels := object.get(data.gitopsc.namespaces, ns, {})
	some want in data.gitopsc.params.devNamespaceLabels
	count(want) > 0
	every k, v in want {
		labels[k] == v
	}
}

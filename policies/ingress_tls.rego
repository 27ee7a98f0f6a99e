# POL008 ingress-tls: in production every Ingress host is served over TLS.
package gitopsc.builtin.ingress_tls

deny contains {"msg": "the Ingress has no TLS section: its hosts are served over plain HTTP", "path": "spec"} if {
	data.gitopsc.params.production
	input.kind == "Ingress"
	count(object.get(input.spec, "tls", [])) == 0
}

deny contains {"msg": msg, "path": sprintf("spec.rules[%d].host", [i])} if {
	data.gitopsc.params.production
	input.kind == "Ingress"
	count(object.get(input.spec, "tls", [])) > 0
	covered := {h | some t in input.spec.tls; some h in object.get(t, "hosts", [])}
	some i, rule in object.get(input.spec, "rules", [])
	host := object.get(rule, "host", "")
	not covered[host]
	msg := sprintf("host %q is not listed in any spec.tls[].hosts: it is served over plain HTTP", [host])
}

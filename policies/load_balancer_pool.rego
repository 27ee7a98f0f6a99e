# POL012 load-balancer-address-pool: a LoadBalancer Service names the
# MetalLB address pool it draws from (or a load balancer class listed in
# `loadBalancerClasses`).
package gitopsc.builtin.load_balancer_pool

pool_annotations := {"metallb.universe.tf/address-pool", "metallb.io/address-pool"}

deny contains {"msg": msg, "path": "spec.type"} if {
	input.kind == "Service"
	input.spec.type == "LoadBalancer"
	annotations := object.get(input, ["metadata", "annotations"], {})
	not has_pool(annotations)
	not allowed_class
	msg := "a LoadBalancer Service without an address pool takes any free address: annotate it with metallb.io/address-pool (or metallb.universe.tf/address-pool)"
}

has_pool(annotations) if {
	some a in pool_annotations
	annotations[a] != ""
}

allowed_class if input.spec.loadBalancerClass in data.gitopsc.params.loadBalancerClasses

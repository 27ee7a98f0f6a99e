//! POL012: a LoadBalancer Service does not name its address pool.

use crate::check::{Rule, Severity};

pub struct LoadBalancerAddressPool;

impl Rule for LoadBalancerAddressPool {
    fn id(&self) -> &'static str {
        "POL012"
    }
    fn name(&self) -> &'static str {
        "load-balancer-address-pool"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a LoadBalancer Service does not name its address pool"
    }
    fn docs(&self) -> &'static str {
        r#"On bare metal, MetalLB hands a LoadBalancer Service any free address of any pool that auto-assigns, which may be a public range. Each Service of type `LoadBalancer` must carry the `metallb.io/address-pool` (or the older `metallb.universe.tf/address-pool`) annotation.

A Service whose `spec.loadBalancerClass` is listed in the `loadBalancerClasses` parameter is handled by another implementation and passes; `loadBalancerClass` alone does not, since it does not choose addresses."#
    }
}

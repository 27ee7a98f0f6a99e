//! POL005: a pod mounts a hostPath volume or shares the node's network, PID or IPC namespace.

use crate::check::{Rule, Severity};

pub struct HostAccess;

impl Rule for HostAccess {
    fn id(&self) -> &'static str {
        "POL005"
    }
    fn name(&self) -> &'static str {
        "host-access"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a pod mounts a hostPath volume or shares the node's network, PID or IPC namespace"
    }
    fn docs(&self) -> &'static str {
        r#"`hostPath` volumes give a pod the node's files (container runtime socket, kubelet credentials); `hostNetwork`, `hostPID` and `hostIPC` put it in the node's namespaces, where it sees every connection and process. Pod Security's `baseline` profile forbids all four.

The finding points at the `hostPath` of the volume or at the `host*: true` line. Node agents (log shippers, CNI, CSI) that need it: waive with a reason and an expiry."#
    }
}

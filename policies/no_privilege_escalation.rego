# POL002 no-privilege-escalation: no privileged container, and every
# container sets allowPrivilegeEscalation: false.
package gitopsc.builtin.no_privilege_escalation

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": path} if {
	lib.is_workload(input)
	some x in lib.containers_of(input, lib.all_fields)
	x.c.securityContext.privileged == true
	msg := sprintf("%s is privileged: it has every capability of the node; remove securityContext.privileged", [x.what])
	path := sprintf("%s.securityContext.privileged", [x.path])
}

deny contains {"msg": msg, "path": path} if {
	lib.is_workload(input)
	some x in lib.containers_of(input, lib.all_fields)
	not x.c.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("%s may gain more privileges than its parent process: set securityContext.allowPrivilegeEscalation: false", [x.what])
	path := sprintf("%s.securityContext.allowPrivilegeEscalation", [x.path])
}

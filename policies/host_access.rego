# POL005 host-access: no hostPath volumes, no host network, PID or IPC
# namespace.
package gitopsc.builtin.host_access

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": path} if {
	lib.is_workload(input)
	spec := lib.pod_spec(input)
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	spec[field] == true
	msg := sprintf("the pod shares the node's %s namespace (%s: true)", [namespace_word[field], field])
	path := sprintf("%s.%s", [lib.pod_spec_path(input), field])
}

deny contains {"msg": msg, "path": path} if {
	lib.is_workload(input)
	some i, v in object.get(lib.pod_spec(input), "volumes", [])
	v.hostPath
	msg := sprintf("volume %q mounts %q from the node (hostPath)", [object.get(v, "name", ""), object.get(v.hostPath, "path", "")])
	path := sprintf("%s.volumes[%d].hostPath", [lib.pod_spec_path(input), i])
}

namespace_word := {"hostNetwork": "network", "hostPID": "process", "hostIPC": "IPC"}

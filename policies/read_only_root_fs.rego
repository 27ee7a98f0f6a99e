# POL006 read-only-root-filesystem: containers cannot write to their
# image's filesystem.
package gitopsc.builtin.read_only_root_fs

import data.gitopsc.builtin.lib

deny contains {"msg": msg, "path": path} if {
	lib.is_workload(input)
	some x in lib.containers_of(input, ["containers", "initContainers"])
	not x.c.securityContext.readOnlyRootFilesystem == true
	msg := sprintf("%s can write to its root filesystem: set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write", [x.what])
	path := sprintf("%s.securityContext.readOnlyRootFilesystem", [x.path])
}

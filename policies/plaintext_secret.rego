# POL013 plaintext-secret: no Secret with readable values in the
# repository. SOPS-encrypted Secrets (a top-level `sops` key), Secrets whose
# values are argocd-vault-plugin placeholders (`<path:...>`, or the
# avp.kubernetes.io/path annotation), and Secrets without data are fine;
# SealedSecret, ExternalSecret and Vault-injected values are other kinds.
package gitopsc.builtin.plaintext_secret

deny contains {"msg": msg, "path": field} if {
	input.kind == "Secret"
	not input.sops
	not vault_placeholder
	some field in ["data", "stringData"]
	keys := [k | some k, v in object.get(input, field, {}); not placeholder(v)]
	count(keys) > 0
	msg := sprintf("Secret holds plaintext values in %s (%s): commit a SealedSecret, an ExternalSecret or a SOPS-encrypted file instead", [field, concat(", ", sort(keys))])
}

vault_placeholder if input.metadata.annotations["avp.kubernetes.io/path"]

placeholder(v) if {
	is_string(v)
	regex.match(`^<[^<>]+>$`, v)
}

# Seven of Parapet's rules, in Rego, for the regorus baseline benchmark.
package parapet

import rego.v1

deny contains "ownership/missing-owner" if not input.spec.owner

deny contains "ownership/missing-sla" if not input.spec.sla

deny contains "data/classification-required" if not input.spec.dataClassification

deny contains msg if {
	some origin in input.spec.network.cors.allowOrigins
	origin == "*"
	msg := "config/cors-wildcard"
}

deny contains msg if {
	some grant in input.spec.permissions
	object.get(grant, "effect", "allow") == "allow"
	some value in array.concat(grant.actions, grant.resources)
	contains(value, "*")
	msg := sprintf("config/iam-wildcard: %s", [value])
}

deny contains msg if {
	some trigger in input.spec.triggers
	trigger.type in {"webhook", "form"}
	trigger.public == true
	object.get(trigger, "auth", "none") == "none"
	msg := sprintf("config/unauthenticated-trigger: %s", [trigger.name])
}

deny contains msg if {
	some connector in input.spec.connectors
	startswith(connector.url, "http://")
	not loopback(connector.url)
	msg := sprintf("integration/insecure-transport: %s", [connector.name])
}

loopback(url) if startswith(url, "http://localhost")

loopback(url) if startswith(url, "http://127.")

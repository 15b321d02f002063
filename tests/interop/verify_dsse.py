#!/usr/bin/env python3
"""Verifies a Parapet attestation with independent implementations, not Parapet's own code:
securesystemslib's DSSE Envelope (PAE + Ed25519 through pyca/cryptography) and the in-toto
attestation framework's Statement v1 validation (in-toto-attestation, protobuf).

usage: verify_dsse.py ENVELOPE.json JWKS.json [SHA256_HEX]
exit 0 and one JSON line {"ok": true, ...} when it verifies; exit 1 with {"ok": false,
"error": ...} otherwise.
"""

import base64
import json
import sys

from google.protobuf import json_format
from in_toto_attestation.v1 import statement as intoto_statement
from in_toto_attestation.v1 import statement_pb2
from securesystemslib.dsse import Envelope
from securesystemslib.signer import SSlibKey

PREDICATE_TYPE = "https://parapet.dev/attestation/validation/v1"


def fail(error):
    print(json.dumps({"ok": False, "error": error}))
    sys.exit(1)


def main():
    envelope_path, jwks_path = sys.argv[1], sys.argv[2]
    digest = sys.argv[3] if len(sys.argv) > 3 else None
    try:
        with open(envelope_path, encoding="utf-8") as f:
            envelope = Envelope.from_dict(json.load(f))
    except Exception as e:  # malformed JSON, base64, missing fields
        fail(f"not a DSSE envelope: {type(e).__name__}")
    with open(jwks_path, encoding="utf-8") as f:
        jwks = json.load(f)
    keys = []
    for jwk in jwks["keys"]:
        public_hex = base64.urlsafe_b64decode(jwk["x"] + "==").hex()
        keys.append(SSlibKey(jwk["kid"], "ed25519", "ed25519", {"public": public_hex}))
    try:
        accepted = envelope.verify(keys, 1)
    except Exception as e:
        fail(f"signature: {type(e).__name__}: {e}")
    if envelope.payload_type != "application/vnd.in-toto+json":
        fail(f"payloadType {envelope.payload_type}")
    try:
        pb = json_format.Parse(envelope.payload, statement_pb2.Statement())
        intoto_statement.Statement.copy_from_pb(pb).validate()
    except Exception as e:
        fail(f"in-toto statement: {type(e).__name__}: {e}")
    if pb.predicate_type != PREDICATE_TYPE:
        fail(f"predicateType {pb.predicate_type}")
    if digest is not None and not any(s.digest.get("sha256") == digest for s in pb.subject):
        fail("subject digest differs")
    predicate = json_format.MessageToDict(pb.predicate)
    print(json.dumps({
        "ok": True,
        "keyids": sorted(accepted.keys()),
        "subject": pb.subject[0].name,
        "verdict": predicate.get("verdict"),
        "findings": len(predicate.get("findings", [])),
    }))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the abuse corpus: one JSON file per hostile request, under <category>/ beside this script.

    python3 src/test/resources/abuse/generate.py      (rewrites every case; commit the result)

A case says how to send it and what the hub must answer:
  channel   http | mllp | sip
  http:     method, path, contentType, auth ("partner:secret", "console:user:password", "raw:<header>" or none),
            body (text) | bodyBase64 | bodyRepeat {prefix, unit, count, suffix, latin1} | bodyNest {open, inner,
            close, depth} | bodyKeys N; sign {secret, skewSeconds, timestamp, signature, replay, ...};
            expect {status (N or "N|M"), error?}
  mllp:     frame (text; \\x0b \\x1c \\r allowed) | frameBase64; expect {ack: AA|AE|AR|none}
  sip:      datagram (text); expect {sipStatus: N | none}
AbuseCorpusTest runs every case against a running hub while valid traffic flows, and checks the answer,
that the hub stays up, and that every valid message sent meanwhile is delivered.
All data is synthetic.
"""
import base64
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
cases = []

def case(category, name, **spec):
    spec["name"] = name
    cases.append((category, name, spec))

HOTLINE = "hotline-crm:hotline-crm-dev-secret"
SOCIAL = "social-affairs:social-affairs-dev-secret"
DESK = "cctv-desk-halong:cctv-desk-halong-dev-secret"
CRM_SECRET = "dev-only-signing-secret-of-the-hotline-crm-01"
GATE = "/cctv/hikvision/dev-only-camera-key-hongha-gate-01"
CORRIDOR = "/cctv/onvif/dev-only-camera-key-hongha-corridor-01"
REFERRAL = "/api/v1/referrals/00000000-0000-4000-8000-000000000001/status"
ALERT = "/api/v1/camera-alerts/00000000-0000-4000-8000-000000000002/verification"

VALID_INCIDENT = {"schemaVersion": "1", "messageType": "alert",
                  "source": {"system": "hotline-crm", "eventId": "ABUSE-CONTROL", "channel": "hotline"},
                  "category": "violence", "certainty": "suspected", "priority": 2}

# --- 1. XXE and entity expansion on every XML entry point -----------------------------------------
XML_ATTACKS = {
    "xxe-file": '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><EventNotificationAlert><eventType>&x;</eventType></EventNotificationAlert>',
    "xxe-http": '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]><EventNotificationAlert><eventType>&x;</eventType></EventNotificationAlert>',
    "xxe-parameter-entity": '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><EventNotificationAlert/>',
    "xxe-external-dtd": '<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd"><EventNotificationAlert/>',
    "xxe-public-dtd": '<?xml version="1.0"?><!DOCTYPE a PUBLIC "-//X//Y" "file:///etc/passwd"><EventNotificationAlert/>',
    "billion-laughs": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "' + f"&l{i-1};" * 10 + '">' for i in range(1, 10)) + ']><EventNotificationAlert><eventType>&l9;</eventType></EventNotificationAlert>',
    "quadratic-blowup": '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "' + "x" * 5000 + '">]><EventNotificationAlert><eventType>' + "&a;" * 200 + '</eventType></EventNotificationAlert>',
    "internal-subset-only": '<?xml version="1.0"?><!DOCTYPE EventNotificationAlert [<!ELEMENT EventNotificationAlert ANY>]><EventNotificationAlert/>',
    "doctype-no-subset": '<!DOCTYPE html><EventNotificationAlert/>',
    "utf16-doctype": None,  # filled below (UTF-16 encoded)
}
for target, path, ctype in [("hikvision", GATE, "application/xml"), ("onvif", CORRIDOR, "application/soap+xml")]:
    for attack, xml in XML_ATTACKS.items():
        if xml is None:
            body = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><EventNotificationAlert>&x;</EventNotificationAlert>'
            case("xml", f"{target}-{attack}", channel="http", method="POST", path=path, contentType=ctype,
                 bodyBase64=base64.b64encode(body.encode("utf-16")).decode(), expect={"status": 400, "error": "dtd_refused"})
        else:
            case("xml", f"{target}-{attack}", channel="http", method="POST", path=path, contentType=ctype, body=xml,
                 expect={"status": 400, "error": "dtd_refused"})
    for i, garbage in enumerate(["<EventNotificationAlert>", "<<<>>>", "<a></b>", "\x00\x01\x02", "<?xml version='1.0'?>",
                                 "<EventNotificationAlert xmlns:x='urn:x'><x:eventType>VMD</y:eventType></EventNotificationAlert>"]):
        case("xml", f"{target}-malformed-{i}", channel="http", method="POST", path=path, contentType=ctype, body=garbage,
             expect={"status": 400, "error": "malformed_xml"})
# XInclude is off: the include is just an unknown element, and the alert then lacks its eventType
case("xml", "hikvision-xinclude", channel="http", method="POST", path=GATE, contentType="application/xml",
     body='<EventNotificationAlert xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></EventNotificationAlert>',
     expect={"status": 400, "error": "invalid_alert"})
case("xml", "onvif-xinclude", channel="http", method="POST", path=CORRIDOR, contentType="application/soap+xml",
     body='<Notify xmlns="http://docs.oasis-open.org/wsn/b-2" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></Notify>',
     expect={"status": 400, "error": "invalid_notify"})
for attack in ["xxe-file", "billion-laughs", "xxe-parameter-entity"]:
    boundary = "AbuseBoundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"alert\"\r\nContent-Type: application/xml\r\n\r\n"
            f"{XML_ATTACKS[attack]}\r\n--{boundary}--\r\n")
    case("xml", f"hikvision-multipart-{attack}", channel="http", method="POST", path=GATE,
         contentType=f"multipart/form-data; boundary={boundary}", body=body, expect={"status": 400, "error": "dtd_refused"})
# XML where the hub takes no XML
for path, auth in [("/api/v1/incidents", HOTLINE), ("/fhir/Bundle", "hospital-baichay:hospital-baichay-dev-secret")]:
    for attack in ["xxe-file", "billion-laughs"]:
        case("xml", f"{path.strip('/').replace('/', '-')}-{attack}", channel="http", method="POST", path=path, auth=auth,
             contentType="application/xml", body=XML_ATTACKS[attack], expect={"status": 415})

# --- 2. oversize bodies and images ------------------------------------------------------------------
for path, auth, ctype in [("/api/v1/incidents", HOTLINE, "application/json"), ("/hotline/crm/tickets", None, "application/json"),
                          (REFERRAL, SOCIAL, "application/json"), (ALERT, DESK, "application/json"),
                          ("/fhir/Bundle", "hospital-baichay:hospital-baichay-dev-secret", "application/fhir+json"),
                          (GATE, None, "application/xml"), (CORRIDOR, None, "application/soap+xml")]:
    name = path.strip("/").replace("/", "-")[:40]
    case("oversize", f"{name}-1100k", channel="http", method="POST", path=path, auth=auth, contentType=ctype,
         bodyRepeat={"prefix": '{"a":"', "unit": "x", "count": 1_100_000, "suffix": '"}'}, expect={"status": 413})
    case("oversize", f"{name}-5m", channel="http", method="POST", path=path, auth=auth, contentType=ctype,
         bodyRepeat={"prefix": "", "unit": "0123456789", "count": 500_000, "suffix": ""}, expect={"status": "413|closed"})
for size in [524_289, 700_000, 1_000_000]:
    boundary = "Img"
    prefix = (f"--{boundary}\r\nContent-Type: application/xml\r\n\r\n<EventNotificationAlert><eventType>VMD</eventType>"
              f"<dateTime>2026-11-28T10:00:00+07:00</dateTime></EventNotificationAlert>\r\n--{boundary}\r\nContent-Type: image/jpeg\r\n\r\n\u00ff\u00d8\u00ff")
    case("oversize", f"hikvision-image-{size}", channel="http", method="POST", path=GATE,
         contentType=f"multipart/form-data; boundary={boundary}",
         bodyRepeat={"prefix": prefix, "unit": "\u00e0", "count": size, "suffix": f"\r\n--{boundary}--\r\n", "latin1": True},
         expect={"status": 413})
case("oversize", "hikvision-13-parts", channel="http", method="POST", path=GATE, contentType="multipart/form-data; boundary=P",
     body="".join(f"--P\r\nContent-Type: text/plain\r\n\r\n{i}\r\n" for i in range(13)) + "--P--\r\n",
     expect={"status": 413, "error": "too_many_parts"})

# --- 3. deep and huge JSON --------------------------------------------------------------------------
JSON_TARGETS = [("incidents", "/api/v1/incidents", HOTLINE), ("status", REFERRAL, SOCIAL), ("verification", ALERT, DESK)]
# what a well-formed JSON object that is not a valid message gets: incidents and status reports are checked
# against their schema (422); a verification first looks the alert up (the corpus's alert does not exist: 404)
WELL_FORMED_BUT_WRONG = {"incidents": 422, "status": 422, "verification": 404}
for label, path, auth in JSON_TARGETS:
    for depth in [33, 64, 500, 5000, 50000]:
        case("json", f"{label}-deep-array-{depth}", channel="http", method="POST", path=path, auth=auth,
             contentType="application/json", bodyNest={"open": "[", "inner": "", "close": "]", "depth": depth},
             expect={"status": 400, "error": "malformed_json"})
        case("json", f"{label}-deep-object-{depth}", channel="http", method="POST", path=path, auth=auth,
             contentType="application/json", bodyNest={"open": '{"a":', "inner": "1", "close": "}", "depth": depth},
             expect={"status": 400})
    for i, body in enumerate(["", " ", "{", "}", "[1,2", '{"a":1}{"b":2}', '{"a":1,}', "nul", "NaN", '{"a":NaN}', "'{}'",
                              '{"a":"\\uZZZZ"}', '{a:1}', '{"a":"x"} trailing']):
        case("json", f"{label}-malformed-{i}", channel="http", method="POST", path=path, auth=auth,
             contentType="application/json", body=body, expect={"status": 400})
    for i, body in enumerate(['{"a":1e999999999}', "\ufeff{}", '{"a":"' + "\\u0000" * 100 + '"}']):
        case("json", f"{label}-well-formed-odd-{i}", channel="http", method="POST", path=path, auth=auth,
             contentType="application/json", body=body, expect={"status": WELL_FORMED_BUT_WRONG[label]})
    case("json", f"{label}-many-keys", channel="http", method="POST", path=path, auth=auth, contentType="application/json",
         bodyKeys=40000, expect={"status": WELL_FORMED_BUT_WRONG[label]})
    case("json", f"{label}-duplicate-keys", channel="http", method="POST", path=path, auth=auth, contentType="application/json",
         body='{"status":"received","status":"accepted","schemaVersion":"1","schemaVersion":"1"}', expect={"status": 400})
    case("json", f"{label}-array-not-object", channel="http", method="POST", path=path, auth=auth, contentType="application/json",
         body="[" + ",".join(["{}"] * 1000) + "]", expect={"status": 400})
# incident-specific: the schema refuses what does not fit
for i, (mutation, value) in enumerate([("priority", 0), ("priority", 99), ("priority", "1"), ("category", "unknown"),
                                       ("certainty", None), ("schemaVersion", "2"), ("messageType", "delete"),
                                       ("incidentId", "00000000-0000-4000-8000-000000000000"), ("receivedAt", "2026-01-01T00:00:00Z"),
                                       ("extra", "field"), ("narrative", "x" * 20001), ("occurredAt", "yesterday")]):
    incident = dict(VALID_INCIDENT)
    if value is None:
        incident.pop(mutation)
    else:
        incident[mutation] = value
    case("json", f"incident-schema-{i}-{mutation}", channel="http", method="POST", path="/api/v1/incidents", auth=HOTLINE,
         contentType="application/json", body=json.dumps(incident), expect={"status": 422, "error": "schema_violation"})

# --- 4. invalid UTF-8 and wrong types ---------------------------------------------------------------
BAD_UTF8 = [b'{"a":"\xff"}', b'{"a":"\xc3"}', b'{"a":"\xed\xa0\x80"}', b'{"a":"\xf8\x88\x80\x80\x80"}', b'{"a":"\xc0\xaf"}',
            b'{"\xfe\xff":1}', b'\xff\xfe{\x00}\x00', b'{"a":"\xe2\x82"}']
for label, path, auth in JSON_TARGETS + [("crm", "/hotline/crm/tickets", None)]:
    for i, raw in enumerate(BAD_UTF8):
        spec = dict(channel="http", method="POST", path=path, auth=auth, contentType="application/json",
                    bodyBase64=base64.b64encode(raw).decode(), expect={"status": 400})
        if label == "crm":
            spec["sign"] = {"secret": CRM_SECRET, "skewSeconds": 0}
        case("utf8", f"{label}-invalid-utf8-{i}", **spec)
for label, path, auth in JSON_TARGETS:
    for ctype in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1",
                  "image/jpeg", ""]:
        case("types", f"{label}-content-type-{ctype.split(';')[0].replace('/', '-') or 'none'}{'-latin1' if 'ISO' in ctype else ''}",
             channel="http", method="POST", path=path, auth=auth, contentType=ctype, body='{"status":"received"}',
             expect={"status": 415})

# --- 5. MLLP: truncated and garbage frames ----------------------------------------------------------
SB, EB = "\x0b", "\x1c\r"
MSH = "MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128100000||ADT^A01|ABUSE{n}|P|2.5\r"
for i, frame in enumerate([
        SB + "garbage" + EB, SB + EB, SB + "\r\r\r" + EB, SB + "MSH|" + EB, SB + "MSH|^~\\&|" + EB,
        SB + MSH.format(n=1).replace("2.5", "9.9") + EB,
        SB + "PID|1||X\r" + EB, SB + "\x00" * 200 + EB, SB + "MSH|^~\\&|" + "A|" * 5000 + EB,
        SB + MSH.format(n=6).replace("BAICHAY_HOSP", "UNKNOWN_HOSP") + EB,
        SB + "<ADT_A01><MSH/></ADT_A01>" + EB,
        SB + '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><ADT_A01><MSH>&x;</MSH></ADT_A01>' + EB,
        SB + "MSH|^~\\&|HIS|BAICHAY_HOSP\r\x1c" + "\r",
        SB + "\xff\xfe\xfd" + EB]):
    case("mllp", f"frame-{i}", channel="mllp", frame=frame, expect={"ack": "AR|AE|none"})
# well-formed but odd HL7: acknowledged AA (and, with no maltreatment code, no report is made)
for i, frame in enumerate([SB + MSH.format(n=3) + "PID|" + "^" * 10000 + EB, SB + MSH.format(n=4).replace("|P|", "|X|") + EB,
                           SB + MSH.format(n=5) + "EVN|A01\rPID|1||BC-ABUSE^^^BAICHAY_HOSP^MR||Abuse^Case||notadate\r" + EB,
                           SB + MSH.format(n=7) + EB + EB,
                           # a message type the hub does not use, from a known hospital (hl7.unsupported: accept, #15)
                           SB + MSH.format(n=2).replace("ADT^A01", "ZZZ^Z99") + EB]):
    case("mllp", f"odd-but-well-formed-{i}", channel="mllp", frame=frame, expect={"ack": "AA"})
for i, frame in enumerate(["no start block" + EB, SB + "MSH|^~\\&|never ends", "\x1c\r", "\x0b\x0b\x0b", "GET / HTTP/1.1\r\n\r\n",
                           "\x16\x03\x01\x00\x05hello", SB * 1000, "\r\n" * 100, "MSH|^~\\&|" + EB, SB + SB + MSH.format(n=8) + EB]):
    case("mllp", f"broken-{i}", channel="mllp", frame=frame, expect={"ack": "AR|AE|none"})

# --- 6. malformed SIP ---------------------------------------------------------------------------------
VIA = "Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-abuse-{n}\r\n"
def sip(method, n, headers="", body="", content_type="application/json", uri="sip:111@127.0.0.1"):
    return (f"{method} {uri} SIP/2.0\r\n" + VIA.replace("{n}", str(n)) +
            f"From: <sip:0900000009@127.0.0.1>;tag=a{n}\r\nTo: <{uri}>\r\nCall-ID: abuse-{n}@corpus\r\nCSeq: 1 {method}\r\n"
            f"Max-Forwards: 70\r\n{headers}" + (f"Content-Type: {content_type}\r\n" if body else "") +
            f"Content-Length: {len(body.encode())}\r\n\r\n{body}")
for i, gram in enumerate(["", "\x00\x01", "SIP/2.0 200 OK\r\n\r\n", "MESSAGE\r\n\r\n", "MESSAGE sip:111@127.0.0.1 SIP/2.0\r\n\r\n",
                          "MESSAGE sip:111@127.0.0.1 SIP/9.9\r\nCall-ID: x\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                          sip("MESSAGE", 100).replace("CSeq: 1 MESSAGE", "CSeq: x MESSAGE"),
                          sip("MESSAGE", 101).replace("Call-ID", "X-Call-ID"),
                          sip("MESSAGE", 102, body="{}").replace("Content-Length: 2", "Content-Length: 99999"),
                          sip("MESSAGE", 103).replace("From:", "Frum:"),
                          "\r\n\r\n\r\n\r\n", "A" * 4000]):
    case("sip", f"garbage-{i}", channel="sip", datagram=gram, expect={"sipStatus": "none|400"})
case("sip", "publish", channel="sip", datagram=sip("PUBLISH", 200, headers="Event: presence\r\n"), expect={"sipStatus": 501})
case("sip", "register", channel="sip", datagram=sip("REGISTER", 201), expect={"sipStatus": 501})
case("sip", "subscribe", channel="sip", datagram=sip("SUBSCRIBE", 202, headers="Event: presence\r\nExpires: 60\r\nContact: <sip:0900000009@127.0.0.1:{port}>\r\n"), expect={"sipStatus": 501})
case("sip", "info", channel="sip", datagram=sip("INFO", 203), expect={"sipStatus": 501})
case("sip", "notify-without-event", channel="sip", datagram=sip("NOTIFY", 204), expect={"sipStatus": "none|400"})
for i, body in enumerate(["not json", "[]", "{}", '{"event":"call.lost","callId":"x","at":"2026-11-28T10:00:00+07:00"}',
                          '{"event":"call.started","at":"2026-11-28T10:00:00+07:00"}',
                          '{"event":"call.started","callId":"x","at":"yesterday"}',
                          '{"event":"call.ended","callId":"x","at":"2026-11-28T10:00:00+07:00","durationSeconds":-5}',
                          '{"event":"call.started","callId":"' + "x" * 300 + '","at":"2026-11-28T10:00:00+07:00"}',
                          '{"event":"call.started","callId":"x","line":"1-1-1","at":"2026-11-28T10:00:00+07:00"}',
                          '{"event":"call.started","callId":"x","at":"2026-11-28T10:00:00+07:00","name":"Abuse Extra Field"}',
                          '[' * 2000 + ']' * 2000]):
    case("sip", f"bad-call-event-{i}", channel="sip", datagram=sip("MESSAGE", 300 + i, body=body), expect={"sipStatus": 400})
for i, ctype in enumerate(["text/plain", "application/xml", "application/sdp", "multipart/mixed"]):
    case("sip", f"content-type-{i}", channel="sip",
         datagram=sip("NOTIFY", 400 + i, headers="Event: call\r\nSubscription-State: active\r\n",
                      body='{"event":"call.started","callId":"x","at":"2026-11-28T10:00:00+07:00"}', content_type=ctype),
         expect={"sipStatus": 415})

# --- 7. forged and replayed signatures (hotline CRM) ------------------------------------------------
TICKET = ('{"ticketId":"CRM-ABUSE-%d","line":"111","openedAt":"2026-11-28T14:05:00+07:00","category":"violence",'
          '"urgency":"normal"}')
for i, (sign, expect) in enumerate([
        (None, "unsigned"), ({"secret": "a-secret-the-crm-does-not-have-000000000"}, "bad_signature"),
        ({"secret": CRM_SECRET, "skewSeconds": -301}, "stale_timestamp"), ({"secret": CRM_SECRET, "skewSeconds": 301}, "stale_timestamp"),
        ({"secret": CRM_SECRET, "skewSeconds": -86400}, "stale_timestamp"), ({"secret": CRM_SECRET, "timestamp": "not-a-number"}, "bad_timestamp"),
        ({"secret": CRM_SECRET, "timestamp": ""}, "unsigned"), ({"secret": CRM_SECRET, "signature": "sha256="}, "bad_signature"),
        ({"secret": CRM_SECRET, "signature": "sha256=zz"}, "bad_signature"), ({"secret": CRM_SECRET, "signature": "md5=abc"}, "bad_signature"),
        ({"secret": CRM_SECRET, "signature": "sha256=" + "0" * 64}, "bad_signature"),
        ({"secret": CRM_SECRET, "signOtherBody": True}, "bad_signature"), ({"secret": CRM_SECRET, "upperCaseHex": True}, None),
        ({"secret": CRM_SECRET, "replay": True}, "replayed"), ({"secret": "x"}, "bad_signature"),
        ({"secret": CRM_SECRET, "signatureOnly": True}, "unsigned"), ({"secret": CRM_SECRET, "timestampOnly": True}, "unsigned"),
        ({"secret": CRM_SECRET[:-1]}, "bad_signature"), ({"secret": CRM_SECRET + "x"}, "bad_signature"),
        ({"secret": CRM_SECRET, "skewSeconds": 0, "bodySuffix": " "}, "bad_signature")]):
    spec = dict(channel="http", method="POST", path="/hotline/crm/tickets", contentType="application/json", body=TICKET % i,
                expect={"status": 401, "error": expect} if expect else {"status": "202|401"})
    if sign:
        spec["sign"] = sign
    case("signatures", f"crm-{i}", **spec)

# --- 8. wrong and missing credentials -----------------------------------------------------------------
ENDPOINTS = [("incidents", "/api/v1/incidents"), ("status", REFERRAL), ("verification", ALERT),
             ("fhir", "/fhir/Bundle"), ("statistics", "/api/v1/statistics/calls")]
for label, path in ENDPOINTS:
    method = "GET" if "statistics" in path else "POST"
    ctype = "application/fhir+json" if "fhir" in path else "application/json"
    for i, auth in enumerate([None, "raw:Basic", "raw:Basic !!!notbase64", "raw:Bearer dev-only-token-social-affairs-0001",
                              "raw:Basic " + base64.b64encode(b"no-colon").decode(), "hotline-crm:wrong-secret",
                              "nobody:nobody-dev-secret", "HOTLINE-CRM:hotline-crm-dev-secret", "hotline-crm:",
                              ":hotline-crm-dev-secret", "police:police-dev-secret-x",
                              "raw:Digest username=\"hotline-crm\""]):
        case("credentials", f"{label}-{i}", channel="http", method=method, path=path, auth=auth, contentType=ctype,
             body=json.dumps(VALID_INCIDENT) if method == "POST" else None, expect={"status": 401})

# --- 9. a partner posting as another ----------------------------------------------------------------
for i, (auth, system) in enumerate([(SOCIAL, "hotline-crm"), (HOTLINE, "social-affairs"), (HOTLINE, "police"),
                                     (SOCIAL, "cctv"), ("hospital-baichay:hospital-baichay-dev-secret", "hotline-crm")]):
    incident = dict(VALID_INCIDENT)
    incident["source"] = {"system": system, "eventId": f"ABUSE-AS-{i}", "channel": "partner"}
    case("impersonation", f"incident-as-{system}-{i}", channel="http", method="POST", path="/api/v1/incidents", auth=auth,
         contentType="application/json", body=json.dumps(incident), expect={"status": 403, "error": "forbidden_source"})
case("impersonation", "statistics-by-non-reader", channel="http", method="GET", path="/api/v1/statistics/calls", auth=HOTLINE,
     expect={"status": 403, "error": "not_a_statistics_reader"})
for i, path in enumerate(["/cctv/hikvision/not-a-device-key-000000", "/cctv/hikvision/dev-only-camera-key-hongha-corridor-01",
                          "/cctv/onvif/dev-only-camera-key-hongha-gate-01", "/cctv/hikvision/%2e%2e%2fconfig", "/cctv/onvif/x"]):
    case("impersonation", f"camera-key-{i}", channel="http", method="POST", path=path, contentType="application/xml",
         body="<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>", expect={"status": "403|404|400"})
case("impersonation", "camera-wrong-mac", channel="http", method="POST", path=GATE, contentType="application/xml",
     body="<EventNotificationAlert><macAddress>00:00:00:00:00:99</macAddress><eventType>VMD</eventType>"
          "<dateTime>2026-11-28T10:00:00+07:00</dateTime></EventNotificationAlert>", expect={"status": 403, "error": "wrong_device"})

# --- 10. Hawtio / Jolokia: the probe's bypasses, for every role ------------------------------------
# Jolokia answers a refusal with its own status 403 (HTTP 200, "error": the reason); Spring Security with
# HTTP 401/403. "jolokia-403" below means the former; "jolokia-200-read" a GET that Jolokia read-only answered
# (the path said list, p= said exec: the path's type counts, so nothing is executed).
QUEUE = ('org.apache.activemq.artemis:broker=%22cphub%22,component=addresses,address=%22{q}%22,'
         'subcomponent=queues,routing-type=%22anycast%22,queue=%22{q}%22')
REFUSED = {"status": 200, "error": "jolokia-403"}
ROLES = [("viewer", "console:viewer:viewer-dev"), ("operator", "console:operator:operator-dev"), ("admin", "console:admin:admin-dev")]
GET_EXECS = ["exec/java.lang:type=Memory/gc", "write/java.lang:type=Memory/Verbose/true",
             "exec/" + QUEUE.format(q="cphub.invalid") + "/browse()",
             "exec/" + QUEUE.format(q="cphub.deliver.police") + "/pause()",
             "exec/" + QUEUE.format(q="cphub.dlq.police") + "/listMessagesAsJSON/",
             "exec/org.apache.camel:context=cphub,type=context,name=%22cphub%22/dumpRoutesAsXml()",
             "exec/hawtio:type=QuartzFacade/updateSimpleTrigger/a/b/c/1/1/1",
             "exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties",
             "exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/!/tmp!/x.hprof/true",
             "%65xec/java.lang:type=Memory/gc"]
for role, auth in ROLES:
    for i, op in enumerate(GET_EXECS):
        for base in ["/actuator/jolokia/", "/actuator/hawtio/jolokia/"]:
            where = base.split('/')[2]
            # GET never executes or writes, for any role (admin included): exec and write need POST + CSRF token
            case("console", f"{role}-{where}-get-{i}", channel="http", method="GET", path=base + op, auth=auth, expect=REFUSED)
            case("console", f"{role}-{where}-get-{i}-p-list", channel="http", method="GET", path=base + op + "?p=/list",
                 auth=auth, expect=REFUSED)
            case("console", f"{role}-{where}-list-p-{i}", channel="http", method="GET", path=base + "list?p=/" + op,
                 auth=auth, expect={"status": 200, "error": "jolokia-200-read"})
# reads no viewer or operator may make: JVM arguments and system properties
for role, auth in ROLES[:2]:
    for attribute in ["SystemProperties", "InputArguments"]:
        case("console", f"{role}-reads-{attribute}", channel="http", method="GET",
             path="/actuator/jolokia/read/java.lang:type=Runtime/" + attribute, auth=auth, expect=REFUSED)
case("console", "admin-reads-SystemProperties", channel="http", method="GET",
     path="/actuator/jolokia/read/java.lang:type=Runtime/SystemProperties", auth="console:admin:admin-dev",
     expect={"status": 200, "error": "jolokia-200-read"})
# a POST without the CSRF token: Spring Security refuses it, for admins too
case("console", "admin-post-without-csrf-token", channel="http", method="POST", path="/actuator/jolokia",
     auth="console:admin:admin-dev", contentType="application/json",
     body='{"type":"exec","mbean":"java.lang:type=Memory","operation":"gc()"}', expect={"status": 403})
for i, op in enumerate(["write/java.lang:type=Memory/Verbose/true", "exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties"]):
    case("console", f"operator-{i}", channel="http", method="GET", path="/actuator/jolokia/" + op,
         auth="console:operator:operator-dev", expect=REFUSED)
for i, path in enumerate(["/actuator/jolokia/version", "/actuator/clocks", "/actuator/hawtio/", "/console/evidence/" + "0" * 64]):
    case("console", f"anonymous-{i}", channel="http", method="GET", path=path, expect={"status": 401})
case("console", "viewer-opens-snapshot", channel="http", method="GET", path="/console/evidence/" + "0" * 64,
     auth="console:viewer:viewer-dev", expect={"status": 403})
case("console", "wrong-console-password", channel="http", method="GET", path="/actuator/jolokia/version",
     auth="console:admin:not-the-password", expect={"status": 401})
case("console", "hawtio-proxy", channel="http", method="GET", auth="console:admin:admin-dev",
     path="/actuator/hawtio/proxy/http/127.0.0.1/9/actuator/jolokia/version", expect={"status": "403|404|500|502"})

# --- 11. paths that are not plain: 400 with a reason, never a 500 with a stack trace ----------------------
for i, path in enumerate(["/api/../actuator/jolokia/version", "/api;x=y/v1/incidents", "/actuator/jolokia;x=y/version",
                          "/actuator/jolokia/%2e%2e/version", "/api/v1//incidents", "/api/v1/%2fincidents",
                          "/api/v1/incidents%3bx", "/actuator/%252e%252e/jolokia/version"]):
    case("paths", f"odd-path-{i}", channel="http", method="GET", path=path, auth="console:admin:admin-dev",
         expect={"status": 400})

# --- 12. numbers and text the incident schema refuses -------------------------------------------------
for i, age in enumerate(["1e-999999", "9.0000000000000000000001", "9.0", "1e1", "1e999999"]):
    raw = json.dumps(dict(VALID_INCIDENT, subjects=[{"role": "victim", "age": 0}])).replace('"age": 0', '"age": ' + age)
    case("json", f"incident-age-{i}", channel="http", method="POST", path="/api/v1/incidents", auth=HOTLINE,
         contentType="application/json", body=raw, expect={"status": 422, "error": "schema_violation"})
# escaped in the JSON text (\u0000): well-formed JSON, refused by the schema; raw: not JSON at all
for i, text in enumerate(["Synthetic\\u0000Child", "Synthetic\\u001bChild", "Synthetic\\u0085Child", "Synthetic\u0085Child"]):
    raw = json.dumps(dict(VALID_INCIDENT, subjects=[{"role": "victim", "name": "PLACEHOLDER"}])).replace('PLACEHOLDER', text)
    case("json", f"incident-control-character-{i}", channel="http", method="POST", path="/api/v1/incidents", auth=HOTLINE,
         contentType="application/json", body=raw, expect={"status": 422, "error": "schema_violation"})
for i, text in enumerate(["Synthetic\u0000Child", "Synthetic\u001bChild"]):
    raw = json.dumps(dict(VALID_INCIDENT, subjects=[{"role": "victim", "name": "PLACEHOLDER"}])).replace('PLACEHOLDER', text)
    case("json", f"incident-raw-control-character-{i}", channel="http", method="POST", path="/api/v1/incidents", auth=HOTLINE,
         contentType="application/json", body=raw, expect={"status": 400, "error": "malformed_json"})

# ---------------------------------------------------------------------------------------------------
for entry in os.listdir(HERE):
    if os.path.isdir(os.path.join(HERE, entry)):
        shutil.rmtree(os.path.join(HERE, entry))
for category, name, spec in cases:
    os.makedirs(os.path.join(HERE, category), exist_ok=True)
    spec["category"] = category
    with open(os.path.join(HERE, category, name + ".json"), "w", encoding="utf-8") as out:
        json.dump({k: v for k, v in spec.items() if v is not None}, out, indent=1, ensure_ascii=True)
        out.write("\n")
print(len(cases), "cases")

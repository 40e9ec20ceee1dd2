#!/usr/bin/env python3
"""Writes the Jazzer seed corpora of the codec fuzz tests from the published vectors in vectors/ (RFC 2865/5997/5176
RADIUS packets, RFC 4186/4187/5448 EAP packets) plus a few hand-built Diameter messages (CER, MAR/MAA with
SIP-Auth-Data-Item, CCR with Multiple-Services-Credit-Control; AVP codes from vectors/diameter-*.json).
Run from the project root: python3 .ci/make-fuzz-seeds.py"""
import json, os, struct, hashlib, re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
V = os.path.join(ROOT, 'vectors')

def hexes(obj, want):
    out = []
    def walk(o, key=''):
        if isinstance(o, dict):
            for k, v in o.items(): walk(v, k)
        elif isinstance(o, list):
            for v in o: walk(v, key)
        elif isinstance(o, str) and want(key):
            h = re.sub(r'[\s:]', '', o)
            if len(h) >= 8 and len(h) % 2 == 0 and re.fullmatch(r'[0-9a-fA-F]+', h):
                out.append(bytes.fromhex(h))
    walk(obj)
    return out

def write(dirpath, seeds):
    os.makedirs(dirpath, exist_ok=True)
    for s in seeds:
        name = 'seed-' + hashlib.sha1(s).hexdigest()[:16]
        with open(os.path.join(dirpath, name), 'wb') as f:
            f.write(s)
    print(dirpath, len(seeds))

res = lambda b, pkg, cls, m: os.path.join(ROOT, 'bundles', b, 'src/test/resources', pkg, cls + 'Inputs', m)

# RADIUS: every packet of radius.json
radius = hexes(json.load(open(os.path.join(V, 'radius.json'))), lambda k: k in ('hex', 'corrected_hex_computed'))
radius = [r for r in radius if len(r) >= 20]
write(res('radius-codec', 'org/opentwag/radius/codec', 'RadiusPacketFuzzTest', 'decode'), radius)

# EAP: packets of eap-aka.json and eap-aka-prime.json (EAP-SIM ones too: same attribute layout)
eap = []
for f in ('eap-aka.json', 'eap-aka-prime.json'):
    eap += hexes(json.load(open(os.path.join(V, f))), lambda k: k == 'hex' or k.startswith('eap_'))
eap = [e for e in eap if len(e) >= 4 and e[0] in (1, 2, 3, 4)]
write(res('eap-aka', 'org/opentwag/eap/aka/protocol', 'EapAkaFuzzTest', 'eapResponse'), eap)
write(res('eap-aka', 'org/opentwag/eap/aka/protocol', 'EapAkaFuzzTest', 'akaTypeData'),
      [e[5:] for e in eap if len(e) > 8])

# Diameter
TGPP = 10415
def avp(code, data, vendor=0, mandatory=True):
    flags = (0x80 if vendor else 0) | (0x40 if mandatory else 0)
    hl = 12 if vendor else 8
    h = struct.pack('>IB', code, flags) + (hl + len(data)).to_bytes(3, 'big')
    if vendor: h += struct.pack('>I', vendor)
    return h + data + b'\0' * ((4 - len(data) % 4) % 4)
u32 = lambda v: struct.pack('>I', v)
u64 = lambda v: struct.pack('>Q', v)
def msg(cmd, app, request, avps, hbh=0x1234, e2e=0x5678):
    body = b''.join(avps)
    flags = 0x80 if request else 0
    return struct.pack('>B', 1) + (20 + len(body)).to_bytes(3, 'big') + struct.pack('>B', flags) + \
        cmd.to_bytes(3, 'big') + struct.pack('>III', app, hbh, e2e) + body
base = [avp(264, b'twag.localdomain'), avp(296, b'epc.mnc001.mcc001.3gppnetwork.org')]
cer = msg(257, 0, True, base + [avp(257, b'\0\x01\x7f\0\0\x01'), avp(266, u32(TGPP)), avp(269, b'OpenTWAG', mandatory=False),
      avp(260, avp(266, u32(TGPP)) + avp(258, u32(16777265)))])
sid = avp(263, b'twag.localdomain;1;2')
mar = msg(303, 16777265, True, [sid, avp(277, u32(1))] + base + [avp(283, b'epc.mnc001.mcc001.3gppnetwork.org'),
      avp(1, b'001010000000001'), avp(607, u32(1), TGPP), avp(612, avp(608, b"EAP-AKA'", TGPP), TGPP),
      avp(1032, u32(0), TGPP)])
maa = msg(303, 16777265, False, [sid, avp(268, u32(2001))] + base + [avp(1, b'001010000000001'), avp(607, u32(1), TGPP),
      avp(612, avp(608, b'EAP-AKA', TGPP) + avp(609, bytes(32), TGPP) + avp(610, bytes(8), TGPP)
          + avp(625, bytes(16), TGPP) + avp(626, bytes(16), TGPP), TGPP)])
unknown = msg(303, 16777265, False, [sid, avp(297, avp(266, u32(TGPP)) + avp(298, u32(5001)))] + base)
ccr = msg(272, 4, True, [sid] + base + [avp(258, u32(4)), avp(416, u32(1)), avp(415, u32(0)), avp(55, u32(0xe8000000)),
      avp(456, avp(437, avp(421, u64(1000000))) + avp(446, avp(421, u64(5000))))])
dwr = msg(280, 0, True, base)
write(res('diameter-codec', 'org/opentwag/diameter/codec', 'DiameterMessageFuzzTest', 'decode'),
      [cer, mar, maa, unknown, ccr, dwr])

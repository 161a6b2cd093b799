#!/usr/bin/env python3
"""Independent check of test/vectors/ with Python's `cryptography` (OpenSSL), written
from the wire format alone: for every vector in the manifest it opens each key slot with
the sample host private key, decrypts the request and compares every field with the
manifest's inputs. Not part of CI (needs Python + cryptography); run it by hand:

    python3 scripts/check-vectors.py
"""
import hashlib
import json
import os
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
VEC = os.path.join(ROOT, 'test', 'vectors')
m = json.load(open(os.path.join(VEC, 'manifest.json')))
inp = m['inputs']
b = bytes.fromhex


def pad(x, n):
    return b'\0' * (n - len(x)) + x


def host(name):
    cert = x509.load_pem_x509_certificate(open(os.path.join(ROOT, 'samples', name), 'rb').read())
    nums = cert.public_key().public_numbers()
    key = serialization.load_pem_private_key(open(os.path.join(ROOT, 'samples', name[:-4] + '.key'), 'rb').read(), None)
    return nums.x.to_bytes(66, 'big'), nums.y.to_bytes(66, 'big'), key


def secret_value(s):
    def ident(name, use_name=False):
        u = name.encode()
        return (u[:31] + b'\0' * 32)[:32] if use_name else hashlib.sha256(u).digest()
    t = s['type']
    if t == 'meta':
        return 1, b'', None, 16
    if t == 'update-cck':
        return 0x16, b(s['value']), b'\0' * 32, 48
    if t == 'association':
        return 2, b(s['value']), ident(s['name'], s.get('useName')), 48
    i = ident(s['name'], s.get('useName'))
    if s['kind'] == 'ec':
        raw = open(os.path.join(VEC, s['valueFile']), 'rb').read()
        key = serialization.load_pem_private_key(raw, None) if raw.startswith(b'-----') else serialization.load_der_private_key(raw, None)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            t, size = {'secp256r1': (0x11, 32), 'secp384r1': (0x12, 48), 'secp521r1': (0x13, 80)}[key.curve.name]
            return t, key.private_numbers().private_value.to_bytes(size, 'big'), i, 48
        rawkey = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        t, size = (0x14, 32) if len(rawkey) == 32 else (0x15, 64)
        return t, pad(rawkey, size), i, 48
    d = b(s['value'])
    if s['kind'] == 'plain':
        v = struct.pack('>H', len(d)) + d
        return 3, v + b'\0' * (-len(v) % 16), i, 48
    t = {'aes': {16: 4, 24: 5, 32: 6}, 'aes-xts': {32: 7, 64: 8}, 'hmac-sha': {64: 9, 128: 10}}[s['kind']][len(d)]
    return t, d, i, 48


def extension(v):
    e = v.get('extension')
    if not e:
        return b'\0' * 32
    if 'simple' in e:
        return b(e['simple'])
    return HKDF(hashes.SHA512(), 32, b(inp['tags']['tag']), b'IBM Z Ultravisor Add-Secret').derive(b(e['cck']))


def check(v):
    r = open(os.path.join(VEC, v['file']), 'rb').read()
    t, value, ident, hs = secret_value(v['secret'])
    nks = len(v['hostKeys'])
    aad = 0x4b8 + 80 * nks + hs
    assert r[:6] == b'asrcbM' and struct.unpack('>IIH', r[8:12] + r[12:16] + r[6:8]) == (0x100, len(r), v['expected']['userDataType'])
    assert r[0x10:0x1c] == b(inp['iv']) and r[0x27] == nks and struct.unpack('>I', r[0x2c:0x30])[0] == len(value) + 32
    for k, off in (('pld', 0x38), ('ald', 0x78), ('tld', 0xb8)):
        assert r[off:off + 64] == b(inp['tags'][k])
    assert r[0xf8:0x108] == b(inp['tags']['tag'])
    assert r[0x108:0x118] == (b(v['cuid']) if 'cuid' in v else b'\0' * 16)
    sh = r[0x4b8 + 80 * nks:aad]
    assert struct.unpack('>HHI', sh[:8]) == (0, t, len(value)) and (ident is None or sh[16:] == ident)
    cust = ec.EllipticCurvePublicNumbers(int.from_bytes(r[0x418:0x468], 'big'), int.from_bytes(r[0x468:0x4b8], 'big'), ec.SECP521R1()).public_key()
    for n, name in enumerate(v['hostKeys']):
        hx, hy, hkey = host(name)
        slot = r[0x4b8 + 80 * n:0x4b8 + 80 * (n + 1)]
        assert slot[:32] == hashlib.sha256(pad(hx, 80) + pad(hy, 80)).digest()
        z = hkey.exchange(ec.ECDH(), cust)
        kek = hashlib.sha256(z + b'\0\0\0\1').digest()
        assert AESGCM(kek).decrypt(b'\0' * 12, slot[32:], None) == b(inp['protectionKey'])
    plain = AESGCM(b(inp['protectionKey'])).decrypt(b(inp['iv']), r[aad:], r[:aad])
    assert plain == value + extension(v), v['file']


n = 0
for v in m['vectors']:
    if v['expected']['outcome'] == 'ok':
        check(v)
        n += 1
print(f'{n} vectors verified with Python cryptography')
sys.exit(0 if n == 36 else 1)

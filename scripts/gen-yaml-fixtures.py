#!/usr/bin/env python3
"""Generates test/fixtures/yaml-scalars.json: how libyaml writes a string as the value of
a root block mapping for each style serde_yaml may request (None = any, "'" = single
quoted, "|" = literal). It drives PyYAML's C emitter (libyaml 0.2.5) with the same events
serde_yaml 0.9.34 sends (unicode on, width -1), so it is an independent check of
src/internal/yaml-scalar.ts. Characters above U+FFFF are left out: C libyaml 0.2.5 treats
them as non-printable, unsafe-libyaml 0.2.11 (what pvsecret links) as printable.

Run: python3 scripts/gen-yaml-fixtures.py  (needs PyYAML built with libyaml)
"""
import json
import os
import random

import yaml
import yaml._yaml
from yaml.events import (DocumentEndEvent, DocumentStartEvent, MappingEndEvent,
                         MappingStartEvent, ScalarEvent, StreamEndEvent, StreamStartEvent)

assert yaml.__with_libyaml__ and yaml._yaml.get_version_string() == '0.2.5'

ALPHABET = list("ab01 \n\t:#-?'\"\\.,[]{}!&*|>%@`~+ex") + [
    '\u00e9', '\u4e2d', '\u2028', '\u2029', '\u0085', '\ufeff', '\x7f', '\x1b', '\r', '\u00a0', '\x00', '\ufffe']

FIXED = [
    'myConfidentialSecret', 'my secret', 'x\u00e9\u4e2d', ' lead', 'trail ', '', 'a: b', 'x:', '#x', 'a #b',
    '- x', '[x]', '@x', '!x', '&x', '*x', '%x', '`x', '---x', '...', '-', '?', ':', 'a:b', 'a#b', '-x',
    '?x', 'x,y', 'x]', 'x{y}', ':x', "it's", 'x\\y', "'q'", '"d"', 'x\ty', 'x\ufeffy', 'x\x7fy', 'x\x1by',
    'a\nb', 'a\n', ' a\nb', 'a \nb', 'a\n\n', '\n', '\n\n', 'a\n b', 'a\u2028b', 'a\u2028', '\u2028a',
    'a\u0085b', 'x\x00y', 'a\n\u2028', 'a\r\nb', '   ', ' ', '\t', 'a\nb ', '--- a', '...x',
]


def emit(value, style):
    events = [
        StreamStartEvent(), DocumentStartEvent(explicit=False),
        MappingStartEvent(anchor=None, tag='!Association', implicit=False, flow_style=False),
        ScalarEvent(None, None, (True, True), 'name'),
        ScalarEvent(None, None, (True, True), value, style=style),
        ScalarEvent(None, None, (True, True), 'id'),
        ScalarEvent(None, None, (True, True), '0xabc'),
        MappingEndEvent(), DocumentEndEvent(explicit=False), StreamEndEvent(),
    ]
    return yaml.emit(events, Dumper=yaml.CDumper, allow_unicode=True, width=-1)


def main():
    rng = random.Random(20260626)
    values = list(FIXED)
    for _ in range(600):
        values.append(''.join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6))))
    cases = []
    seen = set()
    for v in values:
        styles = ['literal'] if '\n' in v else ['any', 'single']
        for s in styles:
            if (v, s) in seen:
                continue
            seen.add((v, s))
            style = {'any': None, 'single': "'", 'literal': '|'}[s]
            cases.append({'value': v, 'requested': s, 'yaml': emit(v, style)})
    out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'yaml-scalars.json')
    with open(out, 'w', encoding='utf-8') as f:
        json.dump({'generator': 'scripts/gen-yaml-fixtures.py', 'libyaml': '0.2.5', 'cases': cases}, f,
                  ensure_ascii=True, indent=0)
        f.write('\n')
    print(f'{len(cases)} cases written to {out}')


main()

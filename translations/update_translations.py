#!/usr/bin/env python3
"""Refreshes translations/relaydeck_<lang>.ts from the sources, keeping existing translations.

Runs lupdate on a fresh file and writes the result in a stable form (sorted contexts, no source
locations, so a change to the sources does not touch every message). Translations are carried
over by (context, source, comment); what is new is marked unfinished, and what the sources no
longer have is dropped (git keeps the history).

Every string is attributed by lupdate itself: classes use Q_OBJECT or Q_DECLARE_TR_FUNCTIONS
(core's files declare a small `struct Text { Q_DECLARE_TR_FUNCTIONS(Context) };`), and contexts
that are no C++ name ("relaydeck-cli") are given literally to QCoreApplication::translate().

Usage: update_translations.py --lupdate PATH --ts FILE [--plural-only] DIR...
"""

import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape


def message_key(context, message):
    source = message.findtext('source') or ''
    comment = message.findtext('comment') or ''
    return (context, source, comment)


def read_ts(path):
    known = {}
    if not os.path.exists(path):
        return known, None
    root = ET.parse(path).getroot()
    for context in root.findall('context'):
        name = context.findtext('name')
        for message in context.findall('message'):
            translation = message.find('translation')
            if translation is not None and translation.get('type') in ('obsolete', 'vanished'):
                continue
            known[message_key(name, message)] = translation
    return known, root.get('language')


def text_of(element):
    return escape(element.text or '', {'"': '&quot;'})


def write_ts(path, language, contexts, known):
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<!DOCTYPE TS>',
             f'<TS version="2.1" language="{language}">']
    unfinished = 0
    for name in sorted(contexts):
        lines.append('<context>')
        lines.append(f'    <name>{escape(name)}</name>')
        for message in contexts[name]:
            numerus = message.get('numerus') == 'yes'
            lines.append('    <message numerus="yes">' if numerus else '    <message>')
            for tag in ('source', 'comment', 'extracomment'):
                element = message.find(tag)
                if element is not None:
                    lines.append(f'        <{tag}>{text_of(element)}</{tag}>')
            old = known.get(message_key(name, message))
            forms = [] if old is None else [f.text or '' for f in old.findall('numerusform')]
            single = '' if old is None else (old.text or '')
            done = old is not None and old.get('type') is None and (
                any(forms) if numerus else bool(single))
            attribute = '' if done else ' type="unfinished"'
            unfinished += 0 if done else 1
            if numerus:
                lines.append(f'        <translation{attribute}>')
                for form in forms or ['']:
                    lines.append(f'            <numerusform>{escape(form, {chr(34): "&quot;"})}'
                                 '</numerusform>')
                lines.append('        </translation>')
            else:
                lines.append(f'        <translation{attribute}>'
                             f'{escape(single, {chr(34): "&quot;"})}</translation>')
            lines.append('    </message>')
        lines.append('</context>')
    lines.append('</TS>')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('\n'.join(lines) + '\n')
    return unfinished


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--lupdate', required=True)
    parser.add_argument('--ts', required=True)
    parser.add_argument('--plural-only', action='store_true')
    parser.add_argument('dirs', nargs='+')
    args = parser.parse_args()

    known, language = read_ts(args.ts)
    language = language or os.path.splitext(args.ts)[0].rsplit('_', 1)[-1]

    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, 'fresh.ts')
        with open(fresh, 'w', encoding='utf-8') as handle:
            handle.write(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                         f'<TS version="2.1" language="{language}"></TS>\n')
        command = [args.lupdate, '-silent', '-locations', 'none', '-extensions', 'cpp,h']
        if args.plural_only:
            command.append('-pluralonly')
        subprocess.run(command + [os.path.abspath(d) for d in args.dirs] + ['-ts', fresh],
                       check=True, stderr=subprocess.DEVNULL)
        root = ET.parse(fresh).getroot()

    contexts = {}
    for context in root.findall('context'):
        contexts.setdefault(context.findtext('name'), []).extend(context.findall('message'))
    unfinished = write_ts(args.ts, language, contexts, known)
    total = sum(len(messages) for messages in contexts.values())
    print(f'{os.path.basename(args.ts)}: {total} messages, {unfinished} unfinished')


if __name__ == '__main__':
    sys.exit(main())

#! /usr/bin/env python3
# Copyright (c) 2026 The OVS-DPU Authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""Merges OVS-DPU's tables into the upstream Open_vSwitch schema.

usage: merge-schema.py SCHEMA XML FRAGMENT.json FRAGMENT.xml

SCHEMA and XML (vswitchd/vswitch.ovsschema and vswitchd/vswitch.xml of the
unpacked upstream tree) are rewritten in place.  The JSON fragment adds
columns to existing tables (by table name) and new tables ("tables").  The
XML fragment holds <column> elements for the added columns, inside
<table-columns name="TABLE"> wrappers, and whole <table> elements for the new
tables.  The schema version gets the patch number 100 + N, where N counts
OVS-DPU's schema revisions, so that it never equals an upstream version.
"""

import json
import re
import sys

DPU_SCHEMA_REVISION = 5


def main(schema_file, xml_file, frag_json, frag_xml):
    with open(schema_file) as f:
        schema = json.load(f)
    with open(frag_json) as f:
        frag = json.load(f)

    for table, cols in frag.items():
        if table in ("tables", "version-suffix"):
            continue
        for name, col in cols.items():
            assert name not in schema["tables"][table]["columns"]
            schema["tables"][table]["columns"][name] = col
    for name, table in frag["tables"].items():
        assert name not in schema["tables"]
        schema["tables"][name] = table

    major, minor, _ = schema["version"].split(".")
    schema["version"] = "%s.%s.%d" % (major, minor,
                                      100 + DPU_SCHEMA_REVISION)
    with open(schema_file, "w") as f:
        json.dump(schema, f, indent=2, sort_keys=True)
        f.write("\n")

    with open(xml_file) as f:
        xml = f.read()
    with open(frag_xml) as f:
        fxml = f.read()

    for m in re.finditer(r'<table-columns name="([^"]+)">(.*?)'
                         r'</table-columns>', fxml, re.S):
        table, body = m.group(1), m.group(2)
        start = xml.index('<table name="%s"' % table)
        end = xml.index('</table>', start)
        xml = xml[:end] + body + xml[end:]
    tables = re.sub(r'<table-columns name="[^"]+">.*?</table-columns>', '',
                    fxml, flags=re.S)
    tables = re.sub(r'<\?xml[^>]*\?>|<!--.*?-->', '', tables, flags=re.S)
    tables = re.sub(r'</?dpu-fragment>', '', tables)
    end = xml.rindex('</database>')
    xml = xml[:end] + tables.strip() + "\n" + xml[end:]
    with open(xml_file, "w") as f:
        f.write(xml)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.stderr.write(__doc__)
        sys.exit(1)
    main(*sys.argv[1:])

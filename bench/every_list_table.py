"""every_list_table.py A B: the rows that differ between two ``every_list.sh`` outputs (list, corpus,
stored/failed, chunks, headings, torn, brk, fidelity), as a Markdown table, and how many are identical."""
import re, sys
ROW = re.compile(r"^(.{20}|\S{21,}) .*?(\d+)/(\d+)\s+(\d+)\s+([\d.]+%)\s+([\d.]+%)\s+([\d.]+%)\s+([\d.]+%)\s+[\d.]+\s*$")
def load(path, pattern=ROW, cells=lambda m: (m.group(4), m.group(5), m.group(6), m.group(7), m.group(8),
                                                 m.group(2) + "/" + m.group(3))):
    """{(list, corpus): cells} of the lines of *path* that match *pattern*, under their "### LIST" line."""
    out, lst = {}, None
    for line in open(path):
        if line.startswith("### LIST"):
            lst = line.split()[2]; continue
        m = pattern.match(line)
        if m and lst:
            out[(lst, m.group(1).strip())] = cells(m)
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
def cell(x, y):
    return x if x == y else f"{x} → {y}"
print("| list | corpus | stored/failed | chunks | headings | torn | brk | fidelity |\n|---|---|---|---|---|---|---|---|")
same = 0
for key in b:
    if key not in a:
        print(f"| {key[0]} | {key[1]} | (new) {b[key][5]} | {b[key][0]} | {b[key][1]} | {b[key][2]} | {b[key][3]} | {b[key][4]} |"); continue
    x, y = a[key], b[key]
    if x == y:
        same += 1; continue
    print(f"| {key[0]} | {key[1]} | {cell(x[5], y[5])} | {cell(x[0], y[0])} | {cell(x[1], y[1])} | {cell(x[2], y[2])} | {cell(x[3], y[3])} | {cell(x[4], y[4])} |")
# round 19: the chunk measures' line under each row (``bench_ingest_docs.chunk_row``)
MEASURES = re.compile(r"^(.{20}|\S{21,}) chunk measures:\s+lead\s+([\d.]+%)\s+label\s+([\d.]+%)\s+rep\s+([\d.]+%)\s+tiny\s+([\d.]+%)")
ma, mb = (load(path, MEASURES, lambda m: m.groups()[1:]) for path in sys.argv[1:3])
if mb:
    print("\n| list | corpus | lead | label | rep | tiny |\n|---|---|---|---|---|---|")
    msame = 0
    for key in mb:
        x = ma.get(key, ("",) * 4)
        if x == mb[key]:
            msame += 1; continue
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cell(u, v) for u, v in zip(x, mb[key])) + " |")
    print(f"\n{msame} chunk-measure lines identical of {len(mb)}")
missing = [k for k in a if k not in b]
print(f"\n{same} rows identical; {len(b)} rows in B, {len(a)} in A; only in A: {missing}")

#!/usr/bin/env python3
"""Writes the chart archives the loader tests read; run it from anywhere to regenerate them.

  testdata/archives/*.tgz             hostile archives, each rejected by helmsync's loader
                                      (the expected messages live in
                                      crates/engine/tests/chart_archives.rs)
  testdata/archives/valid.tgz         a well-formed chart with a subchart archive inside
  testdata/charts/loader/umbrella/charts/worker-0.2.0.tgz
                                      the `worker` subchart of the umbrella test chart, packed
                                      from testdata/charts/loader/sources/worker

Archives are reproducible: fixed modification times, owners and gzip headers.
"""
import gzip
import io
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
LOADER = os.path.join(HERE, "..", "charts", "loader")

CHART_YAML = b"apiVersion: v2\nname: hostile\nversion: 1.0.0\n"


def info(name, size=0, kind=tarfile.REGTYPE, linkname=""):
    entry = tarfile.TarInfo(name)
    entry.size = size
    entry.type = kind
    entry.linkname = linkname
    entry.mtime = 0
    entry.mode = 0o644
    entry.uid = entry.gid = 0
    entry.uname = entry.gname = ""
    return entry


def tar_bytes(entries, fmt=tarfile.GNU_FORMAT):
    """entries: (TarInfo, data-or-None) pairs, in order."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as tar:
        for entry, data in entries:
            tar.addfile(entry, io.BytesIO(data) if data is not None else None)
    return raw.getvalue()


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(data)
    return out.getvalue()


def files(pairs, fmt=tarfile.GNU_FORMAT):
    return tar_bytes([(info(name, len(data)), data) for name, data in pairs], fmt)


def chart(*extra, fmt=tarfile.GNU_FORMAT):
    return gz(files([("hostile/Chart.yaml", CHART_YAML), *extra], fmt))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def pack_dir(source, top):
    pairs = []
    for root, dirs, names in os.walk(source):
        dirs.sort()
        for n in sorted(names):
            path = os.path.join(root, n)
            rel = os.path.relpath(path, source).replace(os.sep, "/")
            with open(path, "rb") as f:
                pairs.append((f"{top}/{rel}", f.read()))
    return gz(files(pairs))


def main():
    write("traversal.tgz", chart(("hostile/../evil.yaml", b"x: 1\n")))
    write("absolute.tgz", chart(("hostile//etc/evil.yaml", b"x: 1\n")))
    write("drive-path.tgz", chart(("hostile/c:/evil.yaml", b"x: 1\n")))
    write("backslash-traversal.tgz", chart(("hostile\\..\\evil.yaml", b"x: 1\n")))
    long_dir = "d" * 120
    write("long-name-traversal.tgz",
          chart((f"hostile/{long_dir}/../../../evil.yaml", b"x: 1\n")))
    write("pax-traversal.tgz",
          chart((f"hostile/{long_dir}/../../evil.yaml", b"x: 1\n"), fmt=tarfile.PAX_FORMAT))
    write("no-top-directory.tgz", gz(files([("Chart.yaml", CHART_YAML), ("values.yaml", b"")])))
    write("chart-yaml-as-directory.tgz", gz(files([("Chart.yaml/values.yaml", b"")])))
    base = [(info("hostile/Chart.yaml", len(CHART_YAML)), CHART_YAML)]
    write("symlink.tgz", gz(tar_bytes(base + [
        (info("hostile/templates/passwd.yaml", kind=tarfile.SYMTYPE, linkname="/etc/passwd"), None)])))
    write("hardlink.tgz", gz(tar_bytes(base + [
        (info("hostile/templates/copy.yaml", kind=tarfile.LNKTYPE, linkname="hostile/Chart.yaml"), None)])))
    write("device.tgz", gz(tar_bytes(base + [
        (info("hostile/templates/null.yaml", kind=tarfile.CHRTYPE), None)])))
    write("fifo.tgz", gz(tar_bytes(base + [(info("hostile/templates/pipe.yaml", kind=tarfile.FIFOTYPE), None)])))
    write("duplicate.tgz", chart(("hostile/values.yaml", b"a: 1\n"), ("hostile/values.yaml", b"a: 2\n")))
    write("duplicate-after-cleaning.tgz",
          chart(("hostile/values.yaml", b"a: 1\n"), ("hostile/./templates/../values.yaml", b"a: 2\n")))
    # 101 MiB of zeros in one file: about 100 KiB compressed.
    big = 101 * 1024 * 1024
    write("decompression-bomb.tgz", gz(tar_bytes(base + [(info("hostile/big.txt", big), bytes(big))])))
    write("not-gzip.tgz", b"apiVersion: v2\nname: plain-text\n")
    write("empty.tgz", gz(tar_bytes([])))
    write("no-chart-yaml.tgz", gz(files([("hostile/values.yaml", b"a: 1\n")])))
    sub = gz(files([("sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
                    ("sub/../../evil.yaml", b"x: 1\n")]))
    write("hostile-subchart.tgz", chart(("hostile/charts/sub-0.1.0.tgz", sub)))
    good_sub = gz(files([("sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
                         ("sub/values.yaml", b"fromSub: true\n"),
                         ("sub/templates/cm.yaml", b"sub: {{ .Values.fromSub }}\n")]))
    write("valid.tgz", gz(files([
        ("valid/Chart.yaml", b"\xef\xbb\xbfapiVersion: v2\nname: valid\nversion: 1.2.3\n"),
        ("valid/values.yaml", b"top: 1\n"),
        ("valid/templates/cm.yaml", b"top: {{ .Values.top }}\n"),
        ("valid/crds/crd.yaml", b"kind: CustomResourceDefinition\n"),
        ("valid/charts/sub-0.1.0.tgz", good_sub),
    ])))
    worker = pack_dir(os.path.join(LOADER, "sources", "worker"), "worker")
    with open(os.path.join(LOADER, "umbrella", "charts", "worker-0.2.0.tgz"), "wb") as f:
        f.write(worker)


if __name__ == "__main__":
    main()

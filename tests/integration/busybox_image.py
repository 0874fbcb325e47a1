#!/usr/bin/env python3
"""Builds a tiny container image from the node's static busybox, with no
docker: a base layer (/bin/busybox, its applet links, /etc/passwd, /tmp) and
optionally a layer of extra files, saved as a docker-archive (what
`docker save` writes) or an OCI image layout tarball (what
`skopeo copy oci-archive:` writes, layers gzip-compressed).

usage: busybox_image.py OUT.tar NAME:TAG (docker|oci) [--cmd JSON]
                        [--file PATH=CONTENT]...
Used by tests/integration/runtime_pods.sh and bench/pods.sh."""
import argparse, gzip, hashlib, io, json, os, shutil, subprocess, sys, tarfile

def busybox_path():
    for p in ("/bin/busybox", "/usr/bin/busybox"):
        if os.path.exists(p):
            return p
    sys.exit("busybox_image.py: static busybox not found (apt-get install busybox-static)")

def tar_bytes(add):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        add(t)
    return buf.getvalue()

def add_dir(t, name, mode=0o755):
    i = tarfile.TarInfo(name); i.type = tarfile.DIRTYPE; i.mode = mode; t.addfile(i)

def add_file(t, name, data, mode=0o644):
    i = tarfile.TarInfo(name); i.size = len(data); i.mode = mode; t.addfile(i, io.BytesIO(data))

def base_layer():
    bb = busybox_path()
    applets = subprocess.run([bb, "--list"], capture_output=True, text=True).stdout.split()
    def add(t):
        for d in ("bin", "etc", "tmp", "www", "root", "dev", "proc", "sys"):
            add_dir(t, d, 0o1777 if d == "tmp" else 0o755)
        with open(bb, "rb") as f:
            add_file(t, "bin/busybox", f.read(), 0o755)
        for a in applets:
            if a == "busybox":
                continue
            i = tarfile.TarInfo("bin/" + a); i.type = tarfile.SYMTYPE; i.linkname = "busybox"; t.addfile(i)
        add_file(t, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")
        add_file(t, "etc/group", b"root:x:0:\nnogroup:x:65534:\n")
    return tar_bytes(add)

def files_layer(files):
    def add(t):
        dirs = set()
        for path, content in files:
            parts = path.strip("/").split("/")
            for n in range(1, len(parts)):
                d = "/".join(parts[:n])
                if d not in dirs:
                    dirs.add(d); add_dir(t, d)
            add_file(t, "/".join(parts), content.encode())
    return tar_bytes(add)

def sha(data):
    return hashlib.sha256(data).hexdigest()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out"); ap.add_argument("name"); ap.add_argument("format", choices=["docker", "oci"])
    ap.add_argument("--cmd", default='["/bin/sh"]')
    ap.add_argument("--file", action="append", default=[])
    a = ap.parse_args()
    layers = [base_layer()]
    if a.file:
        layers.append(files_layer([(f.split("=", 1)[0], f.split("=", 1)[1] + "\n") for f in a.file]))
    config = {"architecture": {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine),
              "os": "linux",
              "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                         "Cmd": json.loads(a.cmd), "WorkingDir": "/"},
              "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(l) for l in layers]}}
    config_bytes = json.dumps(config).encode()
    with tarfile.open(a.out, "w") as out:
        if a.format == "docker":
            names = []
            for l in layers:
                names.append(sha(l) + "/layer.tar")
                add_dir(out, sha(l)); add_file(out, names[-1], l)
            add_file(out, sha(config_bytes) + ".json", config_bytes)
            add_file(out, "manifest.json", json.dumps(
                [{"Config": sha(config_bytes) + ".json", "RepoTags": [a.name], "Layers": names}]).encode())
        else:
            blobs = {}
            descs = []
            for l in layers:
                z = gzip.compress(l, mtime=0)
                blobs[sha(z)] = z
                descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + sha(z), "size": len(z)})
            blobs[sha(config_bytes)] = config_bytes
            manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                                   "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                              "digest": "sha256:" + sha(config_bytes), "size": len(config_bytes)},
                                   "layers": descs}).encode()
            blobs[sha(manifest)] = manifest
            add_file(out, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
            add_file(out, "index.json", json.dumps({"schemaVersion": 2, "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + sha(manifest),
                 "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": a.name}}]}).encode())
            add_dir(out, "blobs"); add_dir(out, "blobs/sha256")
            for h, b in blobs.items():
                add_file(out, "blobs/sha256/" + h, b)

main()

"""spxm.py — reading and writing scipix model files (.spxm).

The byte layout is docs/model-format.md; the C reader is
src/classify/model.c.  Shared by train.py (writes the network) and
context.py (adds the context tables to a trained model), so that the one
file format has one Python writer.  Only numpy and libxxhash (through
ctypes) are needed: no torch.
"""

import ctypes
import ctypes.util
import os
import struct

import numpy as np

SIDE = 32
NFEAT = 3
ALIGN = 64
MAGIC = b"SPXM"
VERSION = 1
ARCH_CNN3 = 1
HEADER_SIZE = 64
ENTRY_SIZE = 80
NAME_MAX = 48
DT_F32, DT_I8, DT_U8 = 0, 1, 2
NP_TYPE = {DT_F32: "<f4", DT_I8: "i1", DT_U8: "u1"}


def xxh64(buf):
    name = ctypes.util.find_library("xxhash") or "libxxhash.so.0"
    lib = ctypes.CDLL(name)
    lib.XXH64.restype = ctypes.c_uint64
    lib.XXH64.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]
    return lib.XXH64(bytes(buf), len(buf), 0)


def write_spxm(path, classes, tensors):
    """Write CLASSES (tuples latex, unicode, mathml, atom) and TENSORS
    (name, dtype, numpy array) atomically to PATH; returns the size."""
    table = b"".join(s.encode("utf-8") + b"\0" for cls in classes for s in cls)
    class_off = HEADER_SIZE
    dir_off = (class_off + 8 + len(table) + ALIGN - 1) // ALIGN * ALIGN
    pos = (dir_off + ENTRY_SIZE * len(tensors) + ALIGN - 1) // ALIGN * ALIGN
    entries, blobs = [], []
    for name, dtype, arr in tensors:
        raw = np.ascontiguousarray(arr, dtype=NP_TYPE[dtype]).tobytes()
        dims = list(arr.shape) + [0] * (4 - arr.ndim)
        if len(name) >= NAME_MAX:
            raise ValueError("tensor name too long: " + name)
        entries.append(struct.pack("<48sII4IQ", name.encode(), dtype, arr.ndim, *dims, pos))
        blobs.append((pos, raw))
        pos = (pos + len(raw) + ALIGN - 1) // ALIGN * ALIGN
    size = pos
    buf = bytearray(size)
    buf[class_off:class_off + 8] = struct.pack("<Q", len(table))
    buf[class_off + 8:class_off + 8 + len(table)] = table
    for i, e in enumerate(entries):
        buf[dir_off + i * ENTRY_SIZE:dir_off + (i + 1) * ENTRY_SIZE] = e
    for off, raw in blobs:
        buf[off:off + len(raw)] = raw
    struct.pack_into("<4sIQQIIIIIIQQ", buf, 0, MAGIC, VERSION, size, 0, HEADER_SIZE, ARCH_CNN3,
                     len(classes), len(tensors), SIDE, NFEAT, class_off, dir_off)
    struct.pack_into("<Q", buf, 16, xxh64(memoryview(buf)[24:]))
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buf)
    os.replace(tmp, path)
    return size


def read_spxm(path):
    """(classes, tensors) of an intact model file: classes as 4-tuples of
    str, tensors as [(name, dtype, numpy array)] in file order.  Raises
    ValueError on a damaged or foreign file."""
    buf = open(path, "rb").read()
    if len(buf) < HEADER_SIZE:
        raise ValueError("%s is truncated" % path)
    magic, version, size, checksum = struct.unpack_from("<4sIQQ", buf, 0)
    if magic != MAGIC or version != VERSION or size != len(buf) or checksum != xxh64(memoryview(buf)[24:]):
        raise ValueError("%s is not an intact version-%d model" % (path, VERSION))
    n_classes, n_tensors = struct.unpack_from("<II", buf, 32)
    class_off, dir_off = struct.unpack_from("<QQ", buf, 48)
    table_len, = struct.unpack_from("<Q", buf, class_off)
    strings = buf[class_off + 8:class_off + 8 + table_len].split(b"\0")[:-1]
    classes = [tuple(s.decode("utf-8") for s in strings[4 * i:4 * i + 4]) for i in range(n_classes)]
    tensors = []
    for i in range(n_tensors):
        name, dtype, ndim, d0, d1, d2, d3, off = struct.unpack_from("<48sII4IQ", buf, dir_off + i * ENTRY_SIZE)
        dims = [d0, d1, d2, d3][:ndim]
        count = int(np.prod(dims))
        arr = np.frombuffer(buf, NP_TYPE[dtype], count, off).reshape(dims).copy()
        tensors.append((name.rstrip(b"\0").decode(), dtype, arr))
    return classes, tensors

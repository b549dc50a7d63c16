"""Fashion-MNIST for the PyTorch peers, read from the four IDX files of Debian's
dataset-fashion-mnist package (found with `dpkg -L`), or from $FMNIST_DIR; raw or gzipped.

IDX (LeCun et al.): two zero bytes, the element type (0x08, unsigned byte, for these files), the
rank r, r big-endian 32-bit sizes, then the elements row-major. Soma's reader is
dev.soma.data.IdxReader; this one checks only what these four files need.
"""
import gzip
import os
import struct
import subprocess

import numpy as np
import torch

TRAIN_IMAGES, TRAIN_LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
TEST_IMAGES, TEST_LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"


def directory():
    """$FMNIST_DIR, or where dataset-fashion-mnist installed its files."""
    if os.environ.get("FMNIST_DIR"):
        return os.environ["FMNIST_DIR"]
    files = subprocess.run(["dpkg", "-L", "dataset-fashion-mnist"], capture_output=True, text=True).stdout.split()
    for path in files:
        if os.path.basename(path).startswith(TRAIN_IMAGES):
            return os.path.dirname(path)
    raise FileNotFoundError("Fashion-MNIST not found: install dataset-fashion-mnist or set FMNIST_DIR")


def read_idx(folder, stem):
    """The unsigned bytes of folder/stem (or stem.gz) as a numpy array of the header's shape."""
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with (gzip.open(path, "rb") if name.endswith(".gz") else open(path, "rb")) as f:
                data = f.read()
            break
    else:
        raise FileNotFoundError(os.path.join(folder, stem) + "[.gz]")
    zero, element_type, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or element_type != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    elements = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if elements.size != int(np.prod(shape)):
        raise ValueError(f"{path}: the header promises {shape}, the file holds {elements.size} bytes")
    return elements.reshape(shape)


def load(image_shape):
    """(train images, train labels, test images, test labels, folder): images float32 in [0, 1]
    (pixel / 255) shaped [N, *image_shape], labels int64."""
    folder = directory()

    def images(stem):
        pixels = read_idx(folder, stem)
        return torch.from_numpy(pixels.astype(np.float32) / 255.0).reshape(-1, *image_shape)

    def labels(stem):
        return torch.from_numpy(read_idx(folder, stem).astype(np.int64))

    return images(TRAIN_IMAGES), labels(TRAIN_LABELS), images(TEST_IMAGES), labels(TEST_LABELS), folder

"""A stand-in for the book's pretrained vgg16.npz, to measure the VGG16 examples where the real file cannot be downloaded.

Usage: /usr/bin/python3 tools/make_vgg16_npz.py [OUT=vgg16.npz]
Writes float32 arrays of random values (He-scaled normal weights, zero biases, seed 0) under the keys and in the shapes
the book's Layer.save_weights gives VGG16: convB_L/W (out, in, 3, 3), convB_L/b (out,), fc6/W (25088, 4096) ... fc8/b
(1000,). Stored uncompressed (np.savez), about 528 MiB. The predictions it gives mean nothing; only sizes matter.
"""
import sys

import numpy as np


def shapes():
    blocks = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]
    channels = 3
    for block, (out, count) in enumerate(blocks, start=1):
        for i in range(1, count + 1):
            yield f"conv{block}_{i}/W", (out, channels, 3, 3)
            yield f"conv{block}_{i}/b", (out,)
            channels = out
    for name, n_in, n_out in [("fc6", 512 * 7 * 7, 4096), ("fc7", 4096, 4096), ("fc8", 4096, 1000)]:
        yield f"{name}/W", (n_in, n_out)
        yield f"{name}/b", (n_out,)


def main(out):
    rng = np.random.default_rng(0)
    arrays = {}
    for key, shape in shapes():
        if key.endswith("/b"):
            arrays[key] = np.zeros(shape, np.float32)
        else:
            fan_in = int(np.prod(shape[1:])) if len(shape) == 4 else shape[0]
            arrays[key] = rng.standard_normal(shape, dtype=np.float32) * np.float32(np.sqrt(2.0 / fan_in))
    np.savez(out, **arrays)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "vgg16.npz")

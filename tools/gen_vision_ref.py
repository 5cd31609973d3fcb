"""Reference data for tests/DeZero.Vision.Tests: runs the book's PIL transforms (dezero/transforms.py) and
VGG16.preprocess (dezero/models.py) on small images this script makes, and writes
    Data/rgb.png, Data/gray.png, Data/rgba.png   the input images (deterministic, from np.random.seed(0))
    Data/rgb.bmp, Data/rgb.gif, Data/smooth.jpg  other formats, with Pillow's decoding of them as reference
    Data/vision.npz                               the outputs, keyed as below (float32 or int32 arrays)

Usage: PYTHONPATH=<checkout of oreilly-japan/deep-learning-from-scratch-3> /usr/bin/python3 tools/gen_vision_ref.py
(a checkout: git --git-dir=<mirror> archive HEAD | tar -x -C <dir>). Needs NumPy and Pillow (Debian: python3-pil).
"""
import os
import sys
import types
import numpy as np
from PIL import Image

# dezero/datasets.py imports matplotlib for its plots only; a stub lets the package import without it.
if 'matplotlib' not in sys.modules:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        sys.modules['matplotlib'] = types.ModuleType('matplotlib')
        sys.modules['matplotlib.pyplot'] = sys.modules['matplotlib'].pyplot = types.ModuleType('matplotlib.pyplot')
from dezero import transforms as T
from dezero.models import VGG16

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'DeZero.Vision.Tests', 'Data')
os.makedirs(out, exist_ok=True)
np.random.seed(0)


def picture(w, h, c):
    # Smooth ramps plus noise, so resampling sees both edges and gradients.
    yy, xx = np.mgrid[0:h, 0:w]
    planes = []
    for k in range(c):
        ramp = (xx * (k + 1) * 255.0 / w + yy * 255.0 / h * (2 - k % 2)) % 256
        noise = np.random.randint(-40, 41, size=(h, w))
        planes.append(np.clip(ramp + noise, 0, 255))
    a = np.stack(planes, axis=2).astype(np.uint8)
    return a[:, :, 0] if c == 1 else a


images = {
    'rgb': Image.fromarray(picture(37, 29, 3), 'RGB'),
    'gray': Image.fromarray(picture(23, 17, 1), 'L'),
    'rgba': Image.fromarray(picture(16, 12, 4), 'RGBA'),
}
for name, img in images.items():
    img.save(os.path.join(out, name + '.png'))
# Read back what was written, as the tests will.
images = {name: Image.open(os.path.join(out, name + '.png')) for name in images}
rgb, gray, rgba = images['rgb'], images['gray'], images['rgba']

ref = {}
to_array = T.ToArray()
# Other formats: the decoder must give what Pillow's gives (GIF is quantised to a palette, JPEG is lossy).
rgb.save(os.path.join(out, 'rgb.bmp'))
rgb.save(os.path.join(out, 'rgb.gif'))
yy, xx = np.mgrid[0:40, 0:48]
smooth = np.stack([xx * 5, 60 + yy * 3, 255 - xx * 2 - yy * 2], axis=2).astype(np.uint8)
Image.fromarray(smooth, 'RGB').save(os.path.join(out, 'smooth.jpg'), quality=90)
for key, name in [('decoded_bmp', 'rgb.bmp'), ('decoded_gif', 'rgb.gif'), ('decoded_jpg', 'smooth.jpg')]:
    ref[key] = to_array(Image.open(os.path.join(out, name)).convert('RGB'))
ref['toarray_rgb'] = to_array(rgb)
ref['toarray_rgba'] = to_array(rgba)
ref['asarray_gray'] = np.asarray(gray).astype(np.int32)  # ToArray needs 3 axes; an L image has 2
ref['convert_rgb_gray'] = to_array(T.Convert('RGB')(gray))
ref['convert_rgb_rgba'] = to_array(T.Convert('RGB')(rgba))
ref['convert_bgr_rgb'] = to_array(T.Convert('BGR')(rgb))
ref['convert_l_rgb'] = np.asarray(T.Convert('L')(rgb)).astype(np.int32)
ref['convert_l_rgba'] = np.asarray(T.Convert('L')(rgba)).astype(np.int32)
for w, h in [(20, 15), (36, 28), (37, 29), (1, 1), (10, 29), (37, 2)]:
    ref[f'centercrop_{w}x{h}'] = to_array(T.CenterCrop((w, h))(rgb))
ref['centercrop_square_7'] = to_array(T.CenterCrop(7)(rgb))
ref['flip_rgb'] = to_array(rgb.transpose(Image.FLIP_LEFT_RIGHT))
for w, h in [(50, 40), (15, 11), (37, 10), (8, 8), (3, 29), (74, 58)]:
    ref[f'resize_rgb_{w}x{h}'] = to_array(T.Resize((w, h))(rgb))
    ref[f'resize_gray_{w}x{h}'] = np.asarray(T.Resize((w, h))(gray)).astype(np.int32)
ref['resize_square_12'] = to_array(T.Resize(12)(rgb))
ref['compose_rgb'] = T.Compose([T.Convert('RGB'), T.Resize(20), T.CenterCrop(16), T.ToArray(),
                                T.Normalize(mean=[0.5, 0.25, 0.125], std=[2.0, 4.0, 8.0])])(gray)
# VGG16.preprocess: without resampling (size None, or the image's own size) it must match exactly;
# with the default 224x224 PIL's resize() resamples with its default filter (bicubic in Pillow >= 7).
ref['vgg_rgb_nosize'] = VGG16.preprocess(rgb, size=None)
ref['vgg_gray_nosize'] = VGG16.preprocess(gray, size=None)
ref['vgg_rgba_ownsize'] = VGG16.preprocess(rgba, size=(16, 12))
ref['vgg_rgb_224'] = VGG16.preprocess(rgb)  # the book's default size
ref['vgg_rgb_20x30'] = VGG16.preprocess(rgb, size=(20, 30))

for k, v in ref.items():
    assert v.dtype in (np.float32, np.int32), (k, v.dtype)
    if not k.startswith(('vgg', 'compose')):
        assert (v == np.round(v)).all()
        ref[k] = v.astype(np.int32)
np.savez_compressed(os.path.join(out, 'vision.npz'), **ref)
print(f'wrote {len(ref)} arrays to {out}/vision.npz with Pillow', __import__('PIL').__version__)

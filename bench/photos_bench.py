"""Photo cleaning benchmark: `python bench/photos_bench.py [--repeat 5]`.

`cases.photos.clean_photo` on phone-sized JPEGs (12 and 48 megapixels, noisy like a real
photo), with the reduced JPEG decoding (`_decode_small`) and without it. Each row runs in its
own process, so its peak resident memory is its own; the time is the median of the repeats.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SIZES = {"12 MP (4000 × 3000)": (4000, 3000), "48 MP (8000 × 6000)": (8000, 6000)}


def photo(size: tuple[int, int]) -> bytes:
    from PIL import Image, ImageFilter

    image = Image.effect_noise(size, 40).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def one(path: str, label: str, small: bool, repeat: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pompolit.settings.test")
    import django

    django.setup()
    from django.conf import settings

    from pompolit.cases.photos import services as photos
    from pompolit.core import images

    settings.POMPOLIT_PHOTO_MAX_BYTES = 64 * 1024 * 1024  # the photo, not the limit, is measured

    data = Path(path).read_bytes()  # made by the parent: its pixels are not this process's
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = images.clean_image(data, max_side=photos.MAX_SIDE, decode_small=small)
        samples.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"label": label, "small": small, "ms": statistics.median(samples) * 1000,
            "input": len(data), "output": len(out), "extra_mb": (peak - before) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one", nargs=3, metavar=("FILE", "SIZE", "SMALL"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.one[2] == "1", args.repeat)))
        return
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}. Repeats: {args.repeat}.\n")
    print("| photo | decoding | time (median) | memory above start | file in → out |")
    print("| --- | --- | ---: | ---: | ---: |")
    folder = Path(tempfile.mkdtemp(prefix="photos-bench-"))
    for n, (label, size) in enumerate(SIZES.items()):
        path = folder / f"photo-{n}.jpg"
        path.write_bytes(photo(size))
        for small in (False, True):
            result = subprocess.run(
                [sys.executable, __file__, "--repeat", str(args.repeat), "--one", str(path),
                 label, "1" if small else "0"],
                check=True, capture_output=True, text=True,
            )
            row = json.loads(result.stdout.strip().splitlines()[-1])
            how = "reduced (draft)" if small else "full size"
            print(f"| {label} | {how} | {row['ms']:.0f} ms | {row['extra_mb']:.0f} MB | "
                  f"{row['input'] / 1e6:.1f} MB → {row['output'] / 1e3:.0f} kB |")
        path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()

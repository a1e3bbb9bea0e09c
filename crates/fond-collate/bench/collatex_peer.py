#!/usr/bin/env python3
"""Time CollateX (the Python release) on two witness files.

The peer of `fond bench collate`: the benchmark writes each witness pair to
two files, runs this script as a subprocess, and prints its own time beside
the one reported here, as a ratio.

    collatex_peer.py A.txt B.txt [--near-match] [--transpositions]

Prints one JSON object on stdout:

    {"seconds": 9.81, "tokens": [1000, 993], "collatex": "2.3",
     "settings": {"segmentation": true, "near_match": false,
                  "detect_transpositions": false, "output": "json"},
     "peak_rss_mb": 412.5}

`seconds` is the time of `collate()` alone (reading the files, importing
CollateX and building the witnesses are not counted); `tokens` are CollateX's
own token counts; `peak_rss_mb` is the peak resident memory of this process.
By default CollateX runs with its defaults (`collate(c, output="json")`);
`--near-match` turns on near matching (which uses python-Levenshtein and needs
segmentation off), `--transpositions` its transposition detection.

Exit status: 0 on success, 2 on a usage error, 3 when CollateX is not
installed (`pip install collatex python-Levenshtein`), 4 when it fails.
"""

import json
import resource
import sys
import time


def main(argv):
    flags = {a for a in argv if a.startswith("--")}
    paths = [a for a in argv if not a.startswith("--")]
    unknown = flags - {"--near-match", "--transpositions"}
    if len(paths) != 2 or unknown:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: collatex_peer.py A.txt B.txt [--near-match] [--transpositions]", file=sys.stderr)
        return 2
    try:
        import collatex
        from collatex import Collation, collate
    except ImportError as e:
        print(f"collatex is not installed ({e}): pip install collatex python-Levenshtein", file=sys.stderr)
        return 3

    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())

    near_match = "--near-match" in flags
    settings = {
        # CollateX refuses near matching with segmentation on.
        "segmentation": not near_match,
        "near_match": near_match,
        "detect_transpositions": "--transpositions" in flags,
        "output": "json",
    }
    collation = Collation()
    for siglum, text in zip(("A", "B"), texts):
        collation.add_plain_witness(siglum, text)
    tokens = [len(w.tokens()) for w in collation.witnesses]

    start = time.perf_counter()
    try:
        collate(collation, **settings)
    except Exception as e:  # report any CollateX failure as such
        print(f"collatex failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 4
    seconds = time.perf_counter() - start

    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    version = getattr(collatex, "__version__", None)
    if version is None:
        try:
            from importlib.metadata import version as dist_version

            version = dist_version("collatex")
        except Exception:
            version = "unknown"
    print(json.dumps({
        "seconds": seconds,
        "tokens": tokens,
        "collatex": version,
        "settings": settings,
        "peak_rss_mb": round(rss_mb, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

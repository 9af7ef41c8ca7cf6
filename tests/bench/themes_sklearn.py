"""scikit-learn baseline for the theme-engine benchmark (tests/bench/themes.bench.ts).

TfidfVectorizer (sublinear tf, English stop words, min_df=2, l2 rows) + KMeans
(k-means++, n_init restarts, Lloyd), timed separately. Reads one text per line,
writes the predicted cluster of each line (one a line) to --out, and prints
one JSON line with the timings and the matrix shape. Run with Debian's
/usr/bin/python3 (python3-sklearn).
"""
import argparse
import json
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--n-init", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import sklearn
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    with open(args.texts, encoding="utf-8") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()

    t0 = time.perf_counter()
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2).fit_transform(texts)
    t1 = time.perf_counter()
    km = KMeans(n_clusters=args.k, n_init=args.n_init, random_state=args.seed).fit(matrix)
    t2 = time.perf_counter()

    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(str(int(label)) for label in km.labels_))
        f.write("\n")
    json.dump(
        {
            "sklearn": sklearn.__version__,
            "rows": matrix.shape[0],
            "features": matrix.shape[1],
            "vectorize_s": t1 - t0,
            "kmeans_s": t2 - t1,
            "total_s": t2 - t0,
            "iterations": int(km.n_iter_),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

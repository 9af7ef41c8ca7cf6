import { describe, expect, it } from "vitest";
import { membershipMatrix } from "./consensus";
import { euclideanKMeans, silhouette } from "./kmeans";
import { assignRows, centresFromLabels, sparseSphericalKMeans } from "./sparse-kmeans";
import { compactColumns, csrFromRows, remapColumns, selectRows } from "./sparse";

// Six unit vectors in 4 dimensions: rows 0-2 use columns 0/1, rows 3-5 use columns 2/3.
const s = Math.SQRT1_2;
const x = csrFromRows(
  [
    { indices: [0], values: [1] },
    { indices: [0, 1], values: [s, s] },
    { indices: [1], values: [1] },
    { indices: [2], values: [1] },
    { indices: [2, 3], values: [s, s] },
    { indices: [3], values: [1] },
  ],
  4,
);

describe("sparseSphericalKMeans", () => {
  it("separates two groups that share no terms", () => {
    const km = sparseSphericalKMeans(x, 2, { seed: 3, restarts: 2 });
    const [a, b] = [km.labels[0], km.labels[3]];
    expect(a).not.toBe(b);
    expect([...km.labels]).toEqual([a, a, a, b, b, b]);
    // Centre of rows 0-2 is (1 + s, 1 + s)/norm = (s, s): cosines 1/sqrt2, 1, 1/sqrt2.
    expect(km.sims[1]).toBeCloseTo(1, 9);
    expect(km.sims[0]).toBeCloseTo(s, 9);
    expect(km.objective).toBeCloseTo(2 * (1 + 2 * s), 9);
  });

  it("also runs as Euclidean k-means (mean centres), reporting cosines to unit centres", () => {
    const km = sparseSphericalKMeans(x, 2, { seed: 3, restarts: 2, euclidean: true });
    expect(km.labels[0]).not.toBe(km.labels[3]);
    expect(new Set([...km.labels.slice(0, 3)]).size).toBe(1);
    expect(km.sims[1]).toBeCloseTo(1, 9);
  });

  it("is deterministic for a seed", () => {
    const a = sparseSphericalKMeans(x, 3, { seed: 11, restarts: 3 });
    const b = sparseSphericalKMeans(x, 3, { seed: 11, restarts: 3 });
    expect([...a.labels]).toEqual([...b.labels]);
  });

  it("computes unit centres and assigns rows to the nearest", () => {
    const { centresT, sizes } = centresFromLabels(x, [0, 0, 0, 1, 1, 1], 2);
    expect([...sizes]).toEqual([3, 3]);
    expect(centresT[0 * 2 + 0]).toBeCloseTo(s, 9); // term 0, centre 0
    expect(centresT[2 * 2 + 1]).toBeCloseTo(s, 9); // term 2, centre 1
    expect([...assignRows(x, centresT, 2).labels]).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe("sparse helpers", () => {
  it("select rows and compact unused columns", () => {
    const sub = selectRows(x, [3, 5]);
    const { matrix, map } = compactColumns(sub);
    expect(matrix.cols).toBe(2);
    expect([...map]).toEqual([-1, -1, 0, 1]);
    const back = remapColumns(x, map, 2);
    expect(back.indptr[3]).toBe(0); // rows 0-2 lost all their columns
    expect([...back.indices]).toEqual([0, 0, 1, 1]);
  });

  it("membership vectors: dot product = share of runs that agree", () => {
    const m = membershipMatrix(3, [
      { labels: Int32Array.from([0, 0, 1]), k: 2 },
      { labels: Int32Array.from([1, 0, 0]), k: 2 },
    ]);
    const dot = (a: number, b: number) => {
      let v = 0;
      for (let p = m.indptr[a]!; p < m.indptr[a + 1]!; p++)
        for (let q = m.indptr[b]!; q < m.indptr[b + 1]!; q++) if (m.indices[p] === m.indices[q]) v += m.data[p]! * m.data[q]!;
      return v;
    };
    expect(dot(0, 1)).toBeCloseTo(0.5, 12);
    expect(dot(1, 2)).toBeCloseTo(0.5, 12);
    expect(dot(0, 2)).toBeCloseTo(0, 12);
  });
});

describe("euclideanKMeans and silhouette", () => {
  const pts = Float64Array.from([0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10]);
  it("finds two well separated blobs", () => {
    const km = euclideanKMeans(pts, 6, 2, 2, { seed: 1 });
    expect(new Set([...km.labels.slice(0, 3)]).size).toBe(1);
    expect(km.labels[0]).not.toBe(km.labels[3]);
    // Each blob: centre (1/3, 1/3); squared distances 2/9 + 5/9 + 5/9 = 4/3.
    expect(km.objective).toBeCloseTo(8 / 3, 9);
  });

  it("silhouette is high for the right split and lower for a wrong one", () => {
    const good = silhouette(pts, 6, 2, [0, 0, 0, 1, 1, 1], 2);
    const bad = silhouette(pts, 6, 2, [0, 1, 0, 1, 0, 1], 2);
    expect(good).toBeGreaterThan(0.9);
    expect(bad).toBeLessThan(0.1);
    // Points 0, 1 | 4. Point 0: a = 1, b = 4 -> 3/4; point 1: a = 1, b = 3 -> 2/3; a singleton scores 0.
    const line = Float64Array.from([0, 1, 4]);
    expect(silhouette(line, 3, 1, [0, 0, 1], 2)).toBeCloseTo((3 / 4 + 2 / 3 + 0) / 3, 12);
  });
});

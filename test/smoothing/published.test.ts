/**
 * The acceptance test of SPEC section 6: the k-nearest rule applied to the PUBLISHED raw county column
 * (Nilforoshan et al. 2023, bundled in data/published) must give the published smoothed column exactly
 * (3 decimals) for at least 2,800 of the 2,829 counties.
 */
import { describe, expect, it } from 'vitest';
import { readSmallTable } from '../../src/io/small-table.js';
import { bundledDataPath, BUNDLED } from '../../src/io/bundled-data.js';
import { centroidsForCounties, loadCountyCentroids, parseFipsColumn } from '../../src/smoothing/centroids.js';
import { nearestCounties, roundDecimal, smoothCountyKnn } from '../../src/smoothing/knn.js';

async function publishedCounties() {
  const t = await readSmallTable(bundledDataPath(BUNDLED.publishedCounty));
  return {
    fips: parseFipsColumn(t.numbers('fips_code'), t.file, 'fips_code'),
    raw: t.numbers('exposure_segregation'),
    smoothed: t.numbers('exposure_segregation_smoothed'),
  };
}

describe('k-nearest smoothing reproduces the published smoothed column', () => {
  it('matches at least 2,800 of the 2,829 counties exactly (measured: 2,810)', async () => {
    const pub = await publishedCounties();
    expect(pub.fips.length).toBe(2829);
    const centroids = await loadCountyCentroids();
    expect(centroids.fips.length).toBe(3233);
    const { lon, lat } = centroidsForCounties(centroids, pub.fips, () => true, 'published');
    const ours = smoothCountyKnn({ fips: pub.fips, raw: pub.raw, lon, lat });
    let same = 0;
    const misses: number[] = [];
    for (let i = 0; i < ours.length; i++) {
      if (ours[i] === pub.smoothed[i]) same++;
      else misses.push(i);
    }
    expect(same).toBeGreaterThanOrEqual(2800);
    expect(same + misses.length).toBe(2829);

    // SPEC: the misses are near-ties of the neighbour ranking (the authors' county geometry differs a
    // little from the Census cartographic boundary file). Check that claim: every miss gives the published
    // value once ONE of its five nearest counties is replaced by its 6th or 7th nearest (measured: 17 of
    // the 19 by swapping the 5th and 6th; Sitka AK 2220 takes the 7th for the 5th, Ottawa OH 39123 the
    // 6th for the 3rd).
    const eligible = new Array<boolean>(pub.fips.length).fill(true);
    const nb = nearestCounties(pub.fips, lon, lat, eligible, 7);
    const smoothWith = (i: number, ranks: number[]) =>
      roundDecimal(0.5 * pub.raw[i] + 0.5 * (ranks.reduce((a, p) => a + pub.raw[nb[i * 7 + p]], 0) / 5), 3);
    let fifthSixthSwaps = 0;
    for (const i of misses) {
      const explained: string[] = [];
      for (let out = 0; out < 5; out++) {
        for (const into of [5, 6]) {
          const ranks = [0, 1, 2, 3, 4].filter((p) => p !== out).concat(into);
          if (smoothWith(i, ranks) === pub.smoothed[i]) explained.push(`${out + 1}->${into + 1}`);
        }
      }
      expect(explained.length, `county ${pub.fips[i]}`).toBeGreaterThan(0);
      if (explained.includes('5->6')) fifthSixthSwaps++;
    }
    expect(fifthSixthSwaps).toBeGreaterThanOrEqual(misses.length - 2);
    console.log(`knn smoothing: ${same} of 2829 published smoothed values reproduced exactly; misses: ${misses.map((i) => pub.fips[i]).join(', ')}`);
  });
});

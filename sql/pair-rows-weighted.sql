-- pair-rows-weighted.sql: the weight of each pair from pair records in `weighted` mode (SPEC section 1,
-- as src/encounters/pairs.ts): its number of distinct (place, bin) co-presences, bin =
-- floor(t / :bin_seconds) (rows without place but with a time share the "no place" slot), plus one for
-- each of its rows without a time. Reads pair_rows (pair-rows.sql); writes pair_weights(i, j, w), ego i
-- and partner j: each pair in both directions (a record of (a, b) and one of (b, a) are the same pair),
-- for the egos of part :part of :partitions only (MOD(i, :partitions) = :part; README.md).

CREATE TABLE pair_weights AS
WITH unordered AS (
  SELECT CASE WHEN i < j THEN i ELSE j END AS i, CASE WHEN i < j THEN j ELSE i END AS j,
    place_id, CAST(FLOOR(t / :bin_seconds) AS BIGINT) AS bin
  FROM pair_rows
  WHERE MOD(i, :partitions) = :part OR MOD(j, :partitions) = :part
),
slots AS (
  SELECT i, j, place_id, bin, CASE WHEN bin IS NULL THEN COUNT(*) ELSE 1 END AS w
  FROM unordered
  GROUP BY i, j, place_id, bin
),
kept AS (
  SELECT i, j, SUM(w) AS w
  FROM slots
  GROUP BY i, j
)
SELECT i, j, w FROM kept WHERE MOD(i, :partitions) = :part
UNION ALL
SELECT j AS i, i AS j, w FROM kept WHERE MOD(j, :partitions) = :part;

-- pair-rows-weighted.sql: the weight of each pair from pair records in `weighted` mode (SPEC section 1,
-- as src/encounters/pairs.ts): its number of distinct (place, bin) co-presences, bin =
-- floor(t / :bin_seconds) (rows without place but with a time share the "no place" slot), plus one for
-- each of its rows without a time. Reads pair_rows (pair-rows.sql); writes pair_weights(i, j, w), each
-- pair once with i < j (a record of (a, b) and one of (b, a) are the same pair).

CREATE TEMP TABLE pair_weights AS
WITH unordered AS (
  SELECT CASE WHEN i < j THEN i ELSE j END AS i, CASE WHEN i < j THEN j ELSE i END AS j,
    place_id, CAST(FLOOR(t / :bin_seconds) AS BIGINT) AS bin
  FROM pair_rows
),
slots AS (
  SELECT i, j, place_id, bin, CASE WHEN bin IS NULL THEN COUNT(*) ELSE 1 END AS w
  FROM unordered
  GROUP BY i, j, place_id, bin
)
SELECT i, j, SUM(w) AS w
FROM slots
GROUP BY i, j;

-- pair-rows-distinct.sql: the pairs that count in `distinct` mode, from pair records (SPEC section 1,
-- as src/encounters/pairs.ts): each pair once, if it met on at least :min_days days. A pair's day count
-- is the largest `days` of its rows when the records have a days column (:pairs_have_days = 1; 0 when
-- every row of the pair leaves it empty), else the number of distinct days
-- floor((t + :day_offset_seconds) / 86400) of its rows' times (at least 1). Reads pair_rows
-- (pair-rows.sql); writes pair_weights(i, j, w = 1), ego i and partner j: each kept pair in both
-- directions, for the egos of part :part of :partitions only (MOD(i, :partitions) = :part; README.md).

CREATE TABLE pair_weights AS
WITH unordered AS (
  SELECT CASE WHEN i < j THEN i ELSE j END AS i, CASE WHEN i < j THEN j ELSE i END AS j, t, days
  FROM pair_rows
  WHERE MOD(i, :partitions) = :part OR MOD(j, :partitions) = :part
),
kept AS (
  SELECT i, j
  FROM unordered
  GROUP BY i, j
  HAVING :min_days <= 1
    OR (CASE
          WHEN :pairs_have_days = 1 THEN COALESCE(MAX(days), 0)
          WHEN COUNT(t) > 0 THEN COUNT(DISTINCT CAST(FLOOR((t + :day_offset_seconds) / 86400) AS BIGINT))
          ELSE 1
        END) >= :min_days
)
SELECT i, j, 1 AS w FROM kept WHERE MOD(i, :partitions) = :part
UNION ALL
SELECT j AS i, i AS j, 1 AS w FROM kept WHERE MOD(j, :partitions) = :part;

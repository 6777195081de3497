-- partner-counts.sql: each person's encounter endpoints n_i = sum of the weights of its pairs
-- (pair_weights(i, j, w), i < j: both directions), for the area medians (area-medians.sql).

CREATE TEMP TABLE person_counts AS
WITH ends AS (
  SELECT i AS person_key, w FROM pair_weights
  UNION ALL
  SELECT j AS person_key, w FROM pair_weights
)
SELECT person_key, SUM(w) AS n
FROM ends
GROUP BY person_key;

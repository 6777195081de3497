-- pair-rows-weighted.sql: encounter partners from pair records in `weighted` mode (SPEC section 1,
-- as src/encounters/pairs.ts). The weight of a pair is its number of distinct (place, bin) co-presences,
-- bin = floor(t / :bin_seconds) (rows without place but with a time share the "no place" slot), plus
-- one for each of its rows without a time. Reads pair_rows (pair-rows.sql).

CREATE TEMP TABLE partners AS
WITH ends AS (
  SELECT i AS person_key, j AS partner_key, place_id, CAST(FLOOR(t / :bin_seconds) AS BIGINT) AS bin FROM pair_rows
  UNION ALL
  SELECT j AS person_key, i AS partner_key, place_id, CAST(FLOOR(t / :bin_seconds) AS BIGINT) AS bin FROM pair_rows
),
slots AS (
  SELECT person_key, partner_key, place_id, bin, CASE WHEN bin IS NULL THEN COUNT(*) ELSE 1 END AS w
  FROM ends
  GROUP BY person_key, partner_key, place_id, bin
),
weights AS (
  SELECT person_key, partner_key, SUM(w) AS w
  FROM slots
  GROUP BY person_key, partner_key
)
SELECT w.person_key, w.w, p.yi AS partner_yi, p.yyi AS partner_yyi, p.ses AS partner_ses
FROM weights w
JOIN person_y p ON p.person_key = w.partner_key;

-- visit-groups.sql: co-presence groups from visits (SPEC section 2).
--
-- Time is cut into bins of :bin_seconds seconds, bin = floor(t / :bin_seconds) on epoch seconds. A visit
-- occupies every bin its [t_start, t_end) interval touches: bins floor(t_start / b) to
-- max(floor(t_start / b), ceil(t_end / b) - 1); without t_end (NULL), only the bin of t_start. A group
-- is the set of distinct persons at one place in one bin (a person's overlapping visits to a place
-- count once per bin); groups of one person hold no encounter and are not kept.
--
-- Dialect: the one non-portable line is the expansion of a visit into its bins,
--   UNNEST(GENERATE_SERIES(first_bin, last_bin)) in the SELECT list (DuckDB);
-- Spark SQL: EXPLODE(SEQUENCE(first_bin, last_bin)); BigQuery: move it to the FROM clause,
--   FROM spans CROSS JOIN UNNEST(GENERATE_ARRAY(first_bin, last_bin)) AS bin (see README.md).

CREATE TEMP TABLE visit_bins AS
WITH spans AS (
  SELECT
    p.person_key,
    v.place_id,
    CAST(FLOOR(v.t_start / :bin_seconds) AS BIGINT) AS first_bin,
    CASE
      WHEN v.t_end IS NULL THEN CAST(FLOOR(v.t_start / :bin_seconds) AS BIGINT)
      ELSE GREATEST(CAST(FLOOR(v.t_start / :bin_seconds) AS BIGINT), CAST(CEIL(v.t_end / :bin_seconds) AS BIGINT) - 1)
    END AS last_bin
  FROM visits_in v
  JOIN person_y p ON p.person_id = v.person_id
),
expanded AS (
  -- most visits touch one bin: only the others are expanded
  SELECT person_key, place_id, first_bin AS bin FROM spans WHERE last_bin = first_bin
  UNION ALL
  SELECT person_key, place_id, UNNEST(GENERATE_SERIES(first_bin, last_bin)) AS bin FROM spans WHERE last_bin > first_bin
)
SELECT DISTINCT place_id, bin, person_key
FROM expanded;

-- members of groups with at least two distinct persons, with what the counts need of each member
CREATE TEMP TABLE group_members AS
WITH sized AS (
  SELECT place_id, bin, person_key, COUNT(*) OVER (PARTITION BY place_id, bin) AS group_size
  FROM visit_bins
)
SELECT s.place_id, s.bin, s.person_key, p.ses, p.home_id
FROM sized s
JOIN person_y p ON p.person_key = s.person_key
WHERE s.group_size >= 2;

DROP TABLE visit_bins;

-- visit-groups.sql: co-presence groups from visits (SPEC section 2).
--
-- Time is cut into bins of :bin_seconds seconds, bin = floor(t / :bin_seconds) on epoch seconds. A visit
-- occupies every bin its [t_start, t_end) interval touches: bins floor(t_start / b) to
-- max(floor(t_start / b), ceil(t_end / b) - 1); without t_end (NULL), only the bin of t_start. A group
-- is the set of distinct persons at one place in one bin (a person's overlapping visits to a place
-- count once per bin); groups of one person hold no encounter and are not kept.
--
-- Groups of different places are independent, so they are made for the places of part :part of
-- :partitions (MOD(place_key, :partitions) = :part, place-keys.sql) at a time, and the parts'
-- group_members appended (see README.md, "Parts"): the working set of the de-duplication and of the
-- group sizes is then a part's. group_members holds one row per (group, member), the largest table of
-- the route, so it is kept narrow: integer place keys, each member's SES, and its household only
-- when :exclude_same_home = 1 (else NULL, which a compressing engine stores in no room).
--
-- Dialect: the one non-portable line is the expansion of a visit into its bins,
--   UNNEST(GENERATE_SERIES(first_bin, last_bin)) in the SELECT list (DuckDB);
-- Spark SQL: EXPLODE(SEQUENCE(first_bin, last_bin)); BigQuery: move it to the FROM clause,
--   FROM spans CROSS JOIN UNNEST(GENERATE_ARRAY(first_bin, last_bin)) AS bin (see README.md).

CREATE TABLE group_members AS
WITH spans AS (
  SELECT
    p.person_key,
    k.place_key,
    CAST(FLOOR(v.t_start / :bin_seconds) AS BIGINT) AS first_bin,
    CASE
      WHEN v.t_end IS NULL THEN CAST(FLOOR(v.t_start / :bin_seconds) AS BIGINT)
      ELSE GREATEST(CAST(FLOOR(v.t_start / :bin_seconds) AS BIGINT), CAST(CEIL(v.t_end / :bin_seconds) AS BIGINT) - 1)
    END AS last_bin
  FROM visits_in v
  JOIN place_keys k ON k.place_id = v.place_id
  JOIN person_y p ON p.person_id = v.person_id
  WHERE MOD(k.place_key, :partitions) = :part
),
expanded AS (
  -- most visits touch one bin: only the others are expanded
  SELECT person_key, place_key, first_bin AS bin FROM spans WHERE last_bin = first_bin
  UNION ALL
  SELECT person_key, place_key, UNNEST(GENERATE_SERIES(first_bin, last_bin)) AS bin FROM spans WHERE last_bin > first_bin
),
members AS (
  SELECT DISTINCT place_key, bin, person_key
  FROM expanded
),
sized AS (
  SELECT place_key, bin, person_key, COUNT(*) OVER (PARTITION BY place_key, bin) AS group_size
  FROM members
)
SELECT s.place_key, s.bin, s.person_key, p.ses, CASE WHEN :exclude_same_home = 1 THEN p.home_id END AS home_id
FROM sized s
JOIN person_y p ON p.person_key = s.person_key
WHERE s.group_size >= 2;

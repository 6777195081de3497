-- partner-stats.sql: per-person sufficient statistics and high-partner counts from the pairs, in one
-- pass over pair_weights(i, j, w), ego i and partner j (SPEC sections 2 and 4; as partnerStats and
-- partnerHighCounts in src/encounters/person-stats.ts compute them from partner lists):
--   n_i = sum w,   s_i = sum w y_j,   q_i = sum w y_j^2   (y = SES - centre, as the exact integers
--   yi, yyi of persons.sql),
--   h_i = sum of w over partners with SES >= t_i, i's area median (area-medians.sql), per level.

CREATE TABLE person_sums AS
WITH ends AS (
  SELECT i AS person_key, j AS partner_key, w FROM pair_weights
)
SELECT
  e.person_key,
  SUM(e.w) AS n,
  SUM(e.w * p.yi) AS s,
  SUM(e.w * p.yyi) AS q,
  SUM(CASE WHEN p.ses >= t.median_msa THEN e.w ELSE 0 END) AS high_msa,
  SUM(CASE WHEN p.ses >= t.median_county THEN e.w ELSE 0 END) AS high_county
FROM ends e
JOIN person_y p ON p.person_key = e.partner_key
JOIN person_thresholds t ON t.person_key = e.person_key
GROUP BY e.person_key;

CREATE TABLE person_high AS
SELECT person_key, high_msa, high_county
FROM person_sums;

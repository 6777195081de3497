-- person-stats.sql: the per-person statistics table that `mobiseg run --person-stats` reads, with the
-- columns of the person-stats.arrow that `mobiseg run` writes (SPEC section 10), one row per person
-- in person_key order (the persons of part :part of :partitions, MOD(person_key, :partitions) = :part:
-- the parts together are all persons; see README.md):
--   person_id, ses                         as in persons_in
--   n_endpoints                            encounter endpoints n_i (0 without encounters)
--   partner_ses_mean                       centre + s_i / n_i (NULL when n_i = 0)
--   partner_ses_ss_within                  max(0, q_i - s_i^2 / n_i): the within-person sum of squares
--                                          W_i = sum_j (y_ij - ybar_i)^2, from the centred sums (the
--                                          shift by the centre leaves it unchanged, and centring keeps
--                                          q_i and s_i^2 / n_i small, so little cancels); NULL when n_i = 0
--   high_partners_msa, high_partners_county  endpoints with a partner at or above the area median
--   median_ses_msa, median_ses_county      that median (NULL outside every area of the level)
--   msa, county_fips, county_name, home_tract, home_lat, home_lon   as in persons_in
--   ses_centre, partner_ses_sum, partner_ses_sumsq   the centre and the centred sums s_i, q_i
--                                          themselves, so a run reads back exactly what was summed
-- The sums are the exact integer sums of persons.sql, converted to DOUBLE here once:
-- s_i = S_i / 2^(88 - e), which makes them the same numbers whatever order the engine added in.

CREATE TABLE person_stats AS
WITH sums AS (
  SELECT s.person_key, s.n, CAST(s.s AS DOUBLE) / c.scale_y AS s, CAST(s.q AS DOUBLE) / c.scale_yy AS q
  FROM person_sums s
  CROSS JOIN sum_scales c
)
SELECT
  p.person_id,
  p.ses,
  CAST(COALESCE(s.n, 0) AS DOUBLE) AS n_endpoints,
  CASE WHEN s.n > 0 THEN c.centre + s.s / s.n END AS partner_ses_mean,
  CASE WHEN s.n > 0 THEN GREATEST(CAST(0 AS DOUBLE), s.q - s.s * s.s / s.n) END AS partner_ses_ss_within,
  CAST(COALESCE(h.high_msa, 0) AS DOUBLE) AS high_partners_msa,
  CAST(COALESCE(h.high_county, 0) AS DOUBLE) AS high_partners_county,
  t.median_msa AS median_ses_msa,
  t.median_county AS median_ses_county,
  p.msa,
  p.county_fips,
  p.county_name,
  p.home_tract,
  p.home_lat,
  p.home_lon,
  c.centre AS ses_centre,
  CAST(COALESCE(s.s, 0) AS DOUBLE) AS partner_ses_sum,
  CAST(COALESCE(s.q, 0) AS DOUBLE) AS partner_ses_sumsq,
  p.person_key
FROM persons_in p
CROSS JOIN sum_scales c
LEFT JOIN sums s ON s.person_key = p.person_key
LEFT JOIN person_high h ON h.person_key = p.person_key
LEFT JOIN person_thresholds t ON t.person_key = p.person_key
WHERE MOD(p.person_key, :partitions) = :part;

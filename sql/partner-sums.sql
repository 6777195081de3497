-- partner-sums.sql: per-person sufficient statistics from partner rows (SPEC section 2): with w the
-- weight of each encounter (1 in distinct mode),
--   n_i = sum w,   s_i = sum w y_j,   q_i = sum w y_j^2   (y = SES - centre, as the exact integers
--   yi, yyi of persons.sql),
-- as src/encounters/person-stats.ts (partnerStats) computes them from partner lists.

CREATE TEMP TABLE person_sums AS
SELECT
  person_key,
  SUM(w) AS n,
  SUM(w * partner_yi) AS s,
  SUM(w * partner_yyi) AS q
FROM partners
GROUP BY person_key;

-- partner-high.sql: high-partner counts of the bridging index from partner rows (SPEC section 4):
-- h_i = sum of w over i's partners whose SES >= t_i, i's area median (area-medians.sql), per level.

CREATE TEMP TABLE person_high AS
SELECT
  pr.person_key,
  SUM(CASE WHEN pr.partner_ses >= t.median_msa THEN pr.w ELSE 0 END) AS high_msa,
  SUM(CASE WHEN pr.partner_ses >= t.median_county THEN pr.w ELSE 0 END) AS high_county
FROM partners pr
JOIN person_thresholds t ON t.person_key = pr.person_key
GROUP BY pr.person_key;

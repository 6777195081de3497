-- weighted-high.sql: high-partner counts of the bridging index in `weighted` mode (SPEC section 4):
-- h_i = co-presence endpoints of person i whose partner's SES >= t_i, i's area median
-- (area-medians.sql), one count per level (msa, county). Without forming pairs: for each group and
-- each distinct threshold t among its members, the number of members with SES >= t; member i then
-- takes that count for its own t_i, less i itself, or with :exclude_same_home = 1 less the members of
-- its household with SES >= t_i (as src/encounters/weighted.ts, weightedHighCounts). Only the persons of
-- part :part of :partitions (MOD(person_key, :partitions) = :part; see README.md).

CREATE TABLE person_high AS
WITH member_thresholds AS (
  SELECT m.place_key, m.bin, m.person_key, m.ses, m.home_id, 1 AS level, t.median_msa AS t
  FROM group_members m
  JOIN person_thresholds t ON t.person_key = m.person_key
  WHERE t.median_msa IS NOT NULL AND MOD(m.person_key, :partitions) = :part
  UNION ALL
  SELECT m.place_key, m.bin, m.person_key, m.ses, m.home_id, 2 AS level, t.median_county AS t
  FROM group_members m
  JOIN person_thresholds t ON t.person_key = m.person_key
  WHERE t.median_county IS NOT NULL AND MOD(m.person_key, :partitions) = :part
),
group_thresholds AS (
  SELECT DISTINCT place_key, bin, t
  FROM member_thresholds
),
high_in_group AS (
  SELECT g.place_key, g.bin, g.t, SUM(CASE WHEN m.ses >= g.t THEN 1 ELSE 0 END) AS high
  FROM group_thresholds g
  JOIN group_members m ON m.place_key = g.place_key AND m.bin = g.bin
  GROUP BY g.place_key, g.bin, g.t
),
high_in_household AS (
  SELECT a.place_key, a.bin, a.person_key, a.level, SUM(CASE WHEN b.ses >= a.t THEN 1 ELSE 0 END) AS high
  FROM member_thresholds a
  JOIN group_members b ON b.place_key = a.place_key AND b.bin = a.bin AND b.home_id = a.home_id
  WHERE :exclude_same_home = 1 AND a.home_id IS NOT NULL
  GROUP BY a.place_key, a.bin, a.person_key, a.level
),
member_high AS (
  SELECT
    a.person_key,
    a.level,
    g.high - COALESCE(h.high, CASE WHEN a.ses >= a.t THEN 1 ELSE 0 END) AS high
  FROM member_thresholds a
  JOIN high_in_group g ON g.place_key = a.place_key AND g.bin = a.bin AND g.t = a.t
  LEFT JOIN high_in_household h ON h.place_key = a.place_key AND h.bin = a.bin AND h.person_key = a.person_key AND h.level = a.level
)
SELECT
  person_key,
  SUM(CASE WHEN level = 1 THEN high ELSE 0 END) AS high_msa,
  SUM(CASE WHEN level = 2 THEN high ELSE 0 END) AS high_county
FROM member_high
GROUP BY person_key;

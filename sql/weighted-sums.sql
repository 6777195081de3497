-- weighted-sums.sql: per-person sufficient statistics in `weighted` mode (SPEC section 2): every
-- co-presence (pair, place, bin) counts once, computed from per-group sums without forming pairs
-- (as src/encounters/weighted.ts). For a group of c persons with centred SES sum S and sum of squares
-- Q (group_sums, group-sums.sql), member i gains
--   n_i += c - 1,   s_i += S - y_i,   q_i += Q - y_i^2
-- (in the exact integer form of persons.sql: yi, yyi);
-- with :exclude_same_home = 1, the count, sum and sum of squares of i's own household in the group
-- (household_sums) are subtracted instead of i's own (a person without home_id is a household of one).
-- Only the persons of part :part of :partitions (MOD(person_key, :partitions) = :part; see README.md).

CREATE TABLE person_sums AS
WITH members AS (
  SELECT m.place_key, m.bin, m.person_key, m.home_id, p.yi, p.yyi
  FROM group_members m
  JOIN person_y p ON p.person_key = m.person_key
  WHERE MOD(m.person_key, :partitions) = :part
)
SELECT
  m.person_key,
  SUM(g.c - COALESCE(h.hc, 1)) AS n,
  SUM(g.sy - COALESCE(h.hs, m.yi)) AS s,
  SUM(g.syy - COALESCE(h.hq, m.yyi)) AS q
FROM members m
JOIN group_sums g ON g.place_key = m.place_key AND g.bin = m.bin
LEFT JOIN household_sums h ON h.place_key = m.place_key AND h.bin = m.bin AND h.home_id = m.home_id
GROUP BY m.person_key;

-- the counts alone, for the area medians (area-medians.sql: only whether n > 0)
CREATE TABLE person_counts AS
SELECT person_key, n
FROM person_sums;

-- group-sums.sql: each co-presence group's count, centred SES sum and sum of squares (SPEC section 2),
-- and, with :exclude_same_home = 1, the same per household within the group, in the exact integer form
-- of persons.sql (yi, yyi). Computed once for all persons; weighted-sums.sql reads them per part.

CREATE TABLE group_sums AS
SELECT m.place_key, m.bin, COUNT(*) AS c, SUM(p.yi) AS sy, SUM(p.yyi) AS syy
FROM group_members m
JOIN person_y p ON p.person_key = m.person_key
GROUP BY m.place_key, m.bin;

CREATE TABLE household_sums AS
SELECT m.place_key, m.bin, m.home_id, COUNT(*) AS hc, SUM(p.yi) AS hs, SUM(p.yyi) AS hq
FROM group_members m
JOIN person_y p ON p.person_key = m.person_key
WHERE :exclude_same_home = 1 AND m.home_id IS NOT NULL
GROUP BY m.place_key, m.bin, m.home_id;

-- pair-rows.sql: pair records (pairs_in, see README.md) with both persons' keys, as src/encounters/pairs.ts
-- reads them: each row a co-presence of person_a and person_b, optionally at place_id and time t, with
-- the days the pair met when the records say so. Self-pairs are left out; with :exclude_same_home = 1,
-- so are pairs of the same household (equal, non-NULL home_id).

CREATE TABLE pair_rows AS
SELECT a.person_key AS i, b.person_key AS j, e.place_id, e.t, e.days
FROM pairs_in e
JOIN person_y a ON a.person_id = e.person_a
JOIN person_y b ON b.person_id = e.person_b
WHERE a.person_key <> b.person_key
  AND (:exclude_same_home = 0 OR a.home_id IS NULL OR b.home_id IS NULL OR a.home_id <> b.home_id);

-- distinct-pairs.sql: encounter partners in `distinct` mode (SPEC section 2, the paper's): each
-- unordered pair of persons counts once however often they met, if it met on at least :min_days
-- distinct local days, day = floor((bin * :bin_seconds + :day_offset_seconds) / 86400) (the day of the
-- bin's start, shifted by a time-zone offset); with :exclude_same_home = 1, pairs of the same household
-- (equal, non-NULL home_id) are left out. As src/encounters/distinct.ts.
--
-- pair_weights(i, j, w) holds the kept pairs seen from person i, the ego, with partner j and weight
-- w = 1: each pair in both directions, (i, j) and (j, i), so that an ego's partners are all in its own
-- rows. Only the egos of part :part of :partitions (MOD(i, :partitions) = :part; see README.md): with
-- more parts, each part holds only its egos' partners.

CREATE TABLE pair_weights AS
WITH pair_bins AS (
  SELECT a.person_key AS i, b.person_key AS j, a.bin
  FROM group_members a
  JOIN group_members b ON b.place_key = a.place_key AND b.bin = a.bin AND b.person_key <> a.person_key
  WHERE MOD(a.person_key, :partitions) = :part
    AND (:exclude_same_home = 0 OR a.home_id IS NULL OR b.home_id IS NULL OR a.home_id <> b.home_id)
),
pair_days AS (
  SELECT i, j, CAST(FLOOR((CAST(bin AS DOUBLE) * :bin_seconds + :day_offset_seconds) / 86400) AS BIGINT) AS day
  FROM pair_bins
)
SELECT i, j, 1 AS w
FROM pair_days
GROUP BY i, j
HAVING :min_days <= 1 OR COUNT(DISTINCT day) >= :min_days;

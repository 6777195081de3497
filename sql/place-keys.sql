-- place-keys.sql: every visited place as an integer key, place_key = 1, 2, ... in the order of
-- place_id. The co-presence groups (visit-groups.sql) are keyed by (place_key, bin): an integer is
-- cheaper to store, join and group by than the place's text id, and it splits the places into parts.

CREATE TABLE place_keys AS
SELECT place_id, ROW_NUMBER() OVER (ORDER BY place_id) AS place_key
FROM (SELECT DISTINCT place_id FROM visits_in) d;

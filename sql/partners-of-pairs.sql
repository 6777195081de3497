-- partners-of-pairs.sql: partner rows from the pairs that count in `distinct` mode (distinct_pairs(i, j),
-- i < j, from distinct-pairs.sql or pair-rows-distinct.sql): both directions of each pair, with
-- the partner's SES partner_ses and its centred forms partner_yi, partner_yyi (persons.sql), and
-- weight w = 1.

CREATE TEMP TABLE partners AS
WITH directed AS (
  SELECT i AS person_key, j AS partner_key FROM distinct_pairs
  UNION ALL
  SELECT j AS person_key, i AS partner_key FROM distinct_pairs
)
SELECT d.person_key, 1 AS w, p.yi AS partner_yi, p.yyi AS partner_yyi, p.ses AS partner_ses
FROM directed d
JOIN person_y p ON p.person_key = d.partner_key;

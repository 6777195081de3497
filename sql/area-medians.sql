-- area-medians.sql: the bridging index's threshold of each person (SPEC section 4): the median SES of
-- the person's area (MSA, county of home) over the area's persons with at least one encounter
-- (n > 0 in person_counts). The median is R's type-7 quantile at 0.5, as src/math/stats.ts computes it:
-- the middle value for an odd count, lo + (hi - lo) / 2 of the two middle values for an even count (the
-- same operations on the same doubles, so the same number). Persons outside every area of a level, or
-- in an area without a person with encounters, get NULL.

CREATE TABLE person_thresholds AS
WITH fitted AS (
  SELECT p.ses, p.msa, p.county_fips
  FROM persons_in p
  JOIN person_counts s ON s.person_key = p.person_key
  WHERE s.n > 0
),
areas AS (
  -- level 1: the MSA, level 2: the county, as text keys
  SELECT 1 AS level, msa AS area, ses FROM fitted WHERE msa IS NOT NULL
  UNION ALL
  SELECT 2 AS level, CAST(county_fips AS VARCHAR) AS area, ses FROM fitted WHERE county_fips IS NOT NULL
),
ranked AS (
  SELECT level, area, ses,
    ROW_NUMBER() OVER (PARTITION BY level, area ORDER BY ses) AS r,
    COUNT(*) OVER (PARTITION BY level, area) AS k
  FROM areas
),
middle AS (
  SELECT level, area,
    MIN(CASE WHEN r = FLOOR((k - 1) / 2) + 1 THEN ses END) AS lo,
    MIN(CASE WHEN r = FLOOR(k / 2) + 1 THEN ses END) AS hi,
    MIN(k) AS k
  FROM ranked
  GROUP BY level, area
),
medians AS (
  SELECT level, area, CASE WHEN FLOOR(k / 2) * 2 <> k THEN lo ELSE lo + (hi - lo) / 2 END AS median
  FROM middle
)
SELECT p.person_key, m.median AS median_msa, c.median AS median_county
FROM persons_in p
LEFT JOIN medians m ON m.level = 1 AND m.area = p.msa
LEFT JOIN medians c ON c.level = 2 AND c.area = CAST(p.county_fips AS VARCHAR);

-- persons.sql: every person's SES centred on the mean SES of all persons (SPEC section 2), in the
-- exact fixed-point form that the sums use.
--
-- Sums of partners' SES are taken on y = ses - centre, as mobiseg does (src/encounters/person-stats.ts,
-- sesCentre), so that sums of squares of large SES values (rents, incomes) keep their precision; the
-- estimators standardise per area, so the centre cancels out.
--
-- The sums are exact, so they do not depend on the order an engine adds in (parallel aggregation adds
-- in a different order on every run): each person's y and y^2 are written once as 128-bit integers on a
-- binary grid, yi = round(y * 2^(88 - e)) with 2^e >= max |y| (and likewise yyi for y^2), so that
-- |yi| <= 2^88 and a sum of up to 2^37 of them stays below 2^125 < 10^38: exact in HUGEINT (Spark:
-- DECIMAL(38, 0), BigQuery: BIGNUMERIC). The grid, 2^-88 of the largest |y|, is finer than a double's
-- last bit for any |y| above 2^-35 of the largest (smaller ones are rounded to the grid, an absolute
-- error below 2^-88 of it); a sum is the exact sum of these values, converted to DOUBLE once
-- (person-stats.sql). The centre is the mean of SES computed the same way.

CREATE TABLE ses_grid AS
SELECT
  CASE WHEN MAX(ABS(ses)) > 0 THEN POWER(2, 88 - CEIL(LOG2(MAX(ABS(ses))))) ELSE 1 END AS scale,
  COUNT(*) AS persons
FROM persons_in;

CREATE TABLE ses_centre AS
SELECT CAST(SUM(CAST(ROUND(p.ses * g.scale) AS HUGEINT)) AS DOUBLE) / MIN(g.scale) / MIN(g.persons) AS centre
FROM persons_in p
CROSS JOIN ses_grid g;

CREATE TABLE sum_scales AS
SELECT
  c.centre,
  CASE WHEN m.top > 0 THEN POWER(2, 88 - CEIL(LOG2(m.top))) ELSE 1 END AS scale_y,
  CASE WHEN m.top * m.top > 0 THEN POWER(2, 88 - CEIL(LOG2(m.top * m.top))) ELSE 1 END AS scale_yy
FROM ses_centre c
CROSS JOIN (SELECT MAX(ABS(p.ses - c.centre)) AS top FROM persons_in p CROSS JOIN ses_centre c) m;

CREATE TABLE person_y AS
SELECT
  p.person_key,
  p.person_id,
  p.ses,
  p.home_id,
  CAST(ROUND((p.ses - s.centre) * s.scale_y) AS HUGEINT) AS yi,
  CAST(ROUND((p.ses - s.centre) * (p.ses - s.centre) * s.scale_yy) AS HUGEINT) AS yyi
FROM persons_in p
CROSS JOIN sum_scales s;

-- persons.sql: every person's SES centred on the mean SES of all persons (SPEC section 2).
--
-- Reads persons_in (see README.md). Sums of partners' SES are taken on y = ses - centre, as mobiseg
-- does (src/encounters/person-stats.ts, sesCentre), so that sums of squares of large SES values (rents,
-- incomes) keep their precision; the estimators standardise per area, so the centre cancels out.

CREATE TEMP TABLE ses_centre AS
SELECT AVG(ses) AS centre
FROM persons_in;

CREATE TEMP TABLE person_y AS
SELECT p.person_key, p.person_id, p.ses, p.ses - c.centre AS y, p.home_id
FROM persons_in p
CROSS JOIN ses_centre c;

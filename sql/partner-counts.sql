-- partner-counts.sql: each ego's encounter endpoints n_i = sum of the weights of its pairs
-- (pair_weights(i, j, w): ego i, partner j), for the area medians (area-medians.sql).

CREATE TABLE person_counts AS
SELECT i AS person_key, SUM(w) AS n
FROM pair_weights
GROUP BY i;

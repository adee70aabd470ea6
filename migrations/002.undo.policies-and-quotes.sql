DROP TABLE quotes;
DROP TABLE policies;

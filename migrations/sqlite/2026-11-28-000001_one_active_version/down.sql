DROP INDEX routings_one_active;
DROP INDEX boms_one_active;

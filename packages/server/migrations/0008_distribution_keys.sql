-- Every key of the experiment-scoped tables the tracker writes leads with experiment_id
-- (docs/scaling.md#citus): a key that is unique within an experiment is what a table distributed by
-- experiment_id can enforce, and it is the order in which retention removes an experiment's rows.
-- Nothing here changes what is unique: each old key determined its experiment already.

-- An experiment's events in id order (retention deletes and archives them so); nothing reads
-- conversions by id alone.
ALTER TABLE conversions DROP CONSTRAINT IF EXISTS conversions_pkey;
ALTER TABLE conversions ADD PRIMARY KEY (experiment_id, id);

ALTER TABLE combination_counters DROP CONSTRAINT IF EXISTS combination_counters_pkey;
ALTER TABLE combination_counters ADD PRIMARY KEY (experiment_id, combination_id, epoch, shard);
-- The primary key's prefix serves what this index served.
DROP INDEX IF EXISTS combination_counters_experiment_idx;

ALTER TABLE goal_counters DROP CONSTRAINT IF EXISTS goal_counters_pkey;
ALTER TABLE goal_counters ADD PRIMARY KEY (experiment_id, combination_id, goal, epoch, shard);

ALTER TABLE allocation_history DROP CONSTRAINT IF EXISTS allocation_history_pkey;
ALTER TABLE allocation_history ADD PRIMARY KEY (experiment_id, id);

ALTER TABLE allocation_epochs DROP CONSTRAINT IF EXISTS allocation_epochs_pkey;
ALTER TABLE allocation_epochs ADD PRIMARY KEY (experiment_id, id);
-- The primary key's prefix serves what this index served.
DROP INDEX IF EXISTS allocation_epochs_experiment_idx;

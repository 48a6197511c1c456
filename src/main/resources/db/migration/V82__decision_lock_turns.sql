-- The decision lock becomes a write: taking it counts a turn on the cluster's row (DecisionLock#acquire).
-- On one server that is the same row lock as before; on a Galera cluster with several writers the row
-- is in the transaction's write-set, so two decisions of one cluster judged at the same moment on two
-- nodes conflict at certification and the later one is judged again (docs/scaling.md).
ALTER TABLE decision_lock ADD COLUMN turns BIGINT NOT NULL DEFAULT 0;

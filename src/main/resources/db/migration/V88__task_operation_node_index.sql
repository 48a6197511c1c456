-- A task's context reads the outputs of the earlier tasks of its own node (and of the cluster-wide
-- ones) in its operation: `operation_id = ? AND (node_id = ? OR node_id IS NULL)`. Without this
-- index MariaDB read every task of the operation (or the whole table) for each task started, which
-- made a scale-out quadratic: 113 ms per task start at 20 000 tasks (bench/orchestration-scale-out.sh 10000).
CREATE INDEX ix_task_operation_node ON task (operation_id, node_id, state);

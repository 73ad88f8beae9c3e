-- agent_run_started has always carried restart_policy; 0004 only gave it a
-- column. Fill that column for the runs already projected, from the event that
-- created each row (the first agent_run_started with its run id, as the
-- projection keeps), so a replay after the upgrade gives byte-identical tables.
-- supervisor_pid stays NULL: no event stored before it existed carries it.
UPDATE `agent_runs` SET `restart_policy` = `started`.`restart_policy`
FROM (
	SELECT json_extract(`data`, '$.run_id') AS `run_id`,
		json_extract(`data`, '$.restart_policy') AS `restart_policy`,
		row_number() OVER (PARTITION BY json_extract(`data`, '$.run_id') ORDER BY `sequence`) AS `nth`
	FROM `events`
	WHERE `type` = 'agent_run_started'
) AS `started`
WHERE `started`.`run_id` = `agent_runs`.`run_id` AND `started`.`nth` = 1;

ALTER TABLE `agent_runs` ADD `supervisor_pid` integer;--> statement-breakpoint
ALTER TABLE `agent_runs` ADD `restart_policy` text;
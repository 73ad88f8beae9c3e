CREATE TABLE `tool_calls` (
	`call_id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`caller_type` text NOT NULL,
	`caller_id` text NOT NULL,
	`caller_detail` text,
	`agent_id` text NOT NULL,
	`run_id` text,
	`tool` text NOT NULL,
	`args_hash` text NOT NULL,
	`summary` text NOT NULL,
	`status` text NOT NULL,
	`error_code` text,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tool_calls_at_idx` ON `tool_calls` (`at`);--> statement-breakpoint
CREATE INDEX `tool_calls_agent_at_idx` ON `tool_calls` (`agent_id`,`at`);--> statement-breakpoint
CREATE INDEX `tool_calls_tool_at_idx` ON `tool_calls` (`tool`,`at`);--> statement-breakpoint
CREATE INDEX `tool_calls_status_at_idx` ON `tool_calls` (`status`,`at`);--> statement-breakpoint
CREATE INDEX `tool_calls_agent_tool_at_idx` ON `tool_calls` (`agent_id`,`tool`,`at`);--> statement-breakpoint
CREATE INDEX `tool_calls_agent_status_at_idx` ON `tool_calls` (`agent_id`,`status`,`at`);--> statement-breakpoint
CREATE INDEX `tool_calls_tool_status_at_idx` ON `tool_calls` (`tool`,`status`,`at`);--> statement-breakpoint
CREATE TABLE `tool_pins` (
	`agent_id` text NOT NULL,
	`name` text NOT NULL,
	`definition_hash` text NOT NULL,
	`definition` text NOT NULL,
	`pinned_at` text NOT NULL,
	`accepted_by` text,
	PRIMARY KEY(`agent_id`, `name`)
);
--> statement-breakpoint
CREATE TABLE `tool_policies` (
	`agent_id` text NOT NULL,
	`tool` text NOT NULL,
	`policy` text NOT NULL,
	`set_at` text NOT NULL,
	`set_by` text NOT NULL,
	PRIMARY KEY(`agent_id`, `tool`)
);
--> statement-breakpoint
CREATE TABLE `tools` (
	`agent_id` text NOT NULL,
	`name` text NOT NULL,
	`title` text,
	`description` text,
	`input_schema` text NOT NULL,
	`output_schema` text,
	`annotations` text,
	`definition_hash` text NOT NULL,
	`run_id` text NOT NULL,
	`state` text NOT NULL,
	`listed_at` text NOT NULL,
	PRIMARY KEY(`agent_id`, `name`)
);

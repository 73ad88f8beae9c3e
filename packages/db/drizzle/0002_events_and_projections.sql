CREATE TABLE `agent_runs` (
	`run_id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`status` text NOT NULL,
	`pid` integer,
	`sandboxed` integer NOT NULL,
	`started_at` text NOT NULL,
	`ended_at` text,
	`exit_code` integer,
	`signal` text,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `agent_runs_agent_idx` ON `agent_runs` (`agent_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `agents` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`description` text,
	`manifest_path` text,
	`source_url` text,
	`manifest_hash` text NOT NULL,
	`permissions_hash` text NOT NULL,
	`requested_permissions` text NOT NULL,
	`status` text NOT NULL,
	`install_path` text,
	`installed_ref` text,
	`installed_commit` text,
	`build_status` text NOT NULL,
	`built_at` text,
	`build_error` text,
	`approved_permissions` text,
	`approved_manifest_hash` text,
	`approved_permissions_hash` text,
	`enabled_at` text,
	`current_run_id` text,
	`run_count` integer NOT NULL,
	`discovered_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agents_project_status_idx` ON `agents` (`project_key`,`status`);--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`checkpoint_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`callsign` text NOT NULL,
	`mission_id` text,
	`sortie_id` text,
	`trigger` text NOT NULL,
	`summary` text NOT NULL,
	`context` text NOT NULL,
	`tokens_before` integer,
	`tokens_after` integer,
	`created_at` text NOT NULL,
	`restore_count` integer NOT NULL,
	`last_restored_at` text,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `checkpoints_pilot_idx` ON `checkpoints` (`project_key`,`callsign`,`created_at`);--> statement-breakpoint
CREATE TABLE `cursors` (
	`project_key` text NOT NULL,
	`cursor_id` text NOT NULL,
	`owner` text,
	`stream_id` text,
	`position` integer NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`project_key`, `cursor_id`)
);
--> statement-breakpoint
CREATE TABLE `event_consumers` (
	`name` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`sequence` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`project_key` text NOT NULL,
	`stream_id` text NOT NULL,
	`stream_version` integer NOT NULL,
	`timestamp` text NOT NULL,
	`schema_version` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text NOT NULL,
	`correlation_id` text,
	`causation_id` text,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_id_unique` ON `events` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_stream_version_unique` ON `events` (`stream_id`,`stream_version`);--> statement-breakpoint
CREATE INDEX `events_project_sequence_idx` ON `events` (`project_key`,`sequence`);--> statement-breakpoint
CREATE INDEX `events_project_type_sequence_idx` ON `events` (`project_key`,`type`,`sequence`);--> statement-breakpoint
CREATE INDEX `events_project_timestamp_idx` ON `events` (`project_key`,`timestamp`);--> statement-breakpoint
CREATE INDEX `events_type_sequence_idx` ON `events` (`type`,`sequence`);--> statement-breakpoint
CREATE INDEX `events_timestamp_idx` ON `events` (`timestamp`);--> statement-breakpoint
CREATE TABLE `locks` (
	`project_key` text NOT NULL,
	`resource` text NOT NULL,
	`lock_id` text NOT NULL,
	`holder` text NOT NULL,
	`acquired_at` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`project_key`, `resource`)
);
--> statement-breakpoint
CREATE TABLE `message_recipients` (
	`message_id` text NOT NULL,
	`callsign` text NOT NULL,
	`read_at` text,
	`acked_at` text,
	PRIMARY KEY(`message_id`, `callsign`)
);
--> statement-breakpoint
CREATE INDEX `message_recipients_inbox_idx` ON `message_recipients` (`callsign`,`read_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`message_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`thread_id` text,
	`from_callsign` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`importance` text NOT NULL,
	`ack_required` integer NOT NULL,
	`sent_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `messages_project_sent_idx` ON `messages` (`project_key`,`sent_at`);--> statement-breakpoint
CREATE INDEX `messages_thread_idx` ON `messages` (`thread_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `missions` (
	`mission_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`priority` text NOT NULL,
	`created_at` text NOT NULL,
	`started_at` text,
	`completed_at` text,
	`summary` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `missions_project_status_idx` ON `missions` (`project_key`,`status`);--> statement-breakpoint
CREATE TABLE `pilots` (
	`project_key` text NOT NULL,
	`callsign` text NOT NULL,
	`program` text,
	`model` text,
	`task_description` text,
	`status` text NOT NULL,
	`spawned_by` text,
	`registered_at` text NOT NULL,
	`last_active_at` text NOT NULL,
	`ended_at` text,
	`end_reason` text,
	PRIMARY KEY(`project_key`, `callsign`)
);
--> statement-breakpoint
CREATE TABLE `reservations` (
	`reservation_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`holder` text NOT NULL,
	`paths` text NOT NULL,
	`exclusive` integer NOT NULL,
	`reason` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`released_at` text,
	`renew_count` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reservations_active_idx` ON `reservations` (`project_key`,`released_at`,`expires_at`);--> statement-breakpoint
CREATE TABLE `sortie_dependencies` (
	`sortie_id` text NOT NULL,
	`depends_on` text NOT NULL,
	PRIMARY KEY(`sortie_id`, `depends_on`)
);
--> statement-breakpoint
CREATE INDEX `sortie_dependencies_depends_on_idx` ON `sortie_dependencies` (`depends_on`);--> statement-breakpoint
CREATE TABLE `sorties` (
	`sortie_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`mission_id` text,
	`title` text NOT NULL,
	`description` text,
	`priority` text NOT NULL,
	`priority_rank` integer NOT NULL,
	`status` text NOT NULL,
	`assignee` text,
	`files` text NOT NULL,
	`progress_percent` integer NOT NULL,
	`progress_note` text,
	`blocked_reason` text,
	`outcome` text,
	`created_at` text NOT NULL,
	`started_at` text,
	`completed_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sorties_ready_idx` ON `sorties` (`project_key`,`status`,`priority_rank`,`created_at`);--> statement-breakpoint
CREATE INDEX `sorties_mission_idx` ON `sorties` (`mission_id`);--> statement-breakpoint
CREATE TABLE `threads` (
	`thread_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`subject` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`message_count` integer NOT NULL,
	`last_message_at` text
);
--> statement-breakpoint
CREATE TABLE `work_orders` (
	`work_order_id` text PRIMARY KEY NOT NULL,
	`project_key` text NOT NULL,
	`sortie_id` text,
	`title` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`assignee` text,
	`result` text,
	`created_at` text NOT NULL,
	`completed_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `work_orders_sortie_idx` ON `work_orders` (`sortie_id`);
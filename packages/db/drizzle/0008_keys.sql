CREATE TABLE `key_limits` (
	`agent_id` text NOT NULL,
	`provider` text NOT NULL,
	`rpm` integer,
	`tokens_per_day` integer,
	`set_at` text NOT NULL,
	PRIMARY KEY(`agent_id`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `key_tokens` (
	`token_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`revoked_by` text
);
--> statement-breakpoint
CREATE TABLE `provider_keys` (
	`provider` text PRIMARY KEY NOT NULL,
	`base_url` text,
	`fingerprint` text NOT NULL,
	`storage` text NOT NULL,
	`added_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`added_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`storage` text NOT NULL,
	`set_at` text NOT NULL,
	`set_by` text NOT NULL
);

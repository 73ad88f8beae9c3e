/** One drizzle-kit migration, as embedded at build time (see scripts/embed-migrations.mjs). */
export interface EmbeddedMigration {
	/** drizzle-kit's name for it, e.g. `0000_audit_log`. */
	readonly tag: string;
	/** The statements, split at `--> statement-breakpoint`. */
	readonly sql: readonly string[];
	readonly bps: boolean;
	/** drizzle-kit's timestamp; recorded as `created_at` in `__drizzle_migrations`. */
	readonly folderMillis: number;
	/** SHA-256 of the migration file, as drizzle computes it. */
	readonly hash: string;
}

import { type AgentSpaceDb, withImmediateTransaction } from '@agentspace/db';
import type { FleetEvent } from '../catalogue/catalogue.js';
import { type AppendOptions, appendEvents } from './appendToStream.js';
import type { EventFilters, EventQuery } from './eventQuery.js';
import { countEvents, getLatestEvent, getLatestSequence, queryEvents } from './queryEvents.js';
import { type ReadStreamOptions, readStream, streamVersion } from './readStream.js';

/**
 * The event store over one AgentSpace database. Methods are async so an async
 * backend can sit behind the same API later; with SQLite they do their work
 * synchronously. To commit events together with other writes (an audit
 * record), call `appendToStream` inside `withImmediateTransaction` instead.
 */
export class EventStore {
	private constructor(readonly db: AgentSpaceDb) {}

	/** An event store over an open (migrated) database. */
	static fromDb(db: AgentSpaceDb): EventStore {
		return new EventStore(db);
	}

	/**
	 * Appends one event, or several to one stream, atomically in one
	 * `BEGIN IMMEDIATE` transaction, with the inline projections; returns them
	 * as stored (with `sequence` and `stream_version`). Throws a
	 * `ConcurrencyError` when `expectedVersion` does not hold.
	 */
	async append(events: readonly unknown[], options?: AppendOptions): Promise<FleetEvent[]>;
	async append(event: unknown, options?: AppendOptions): Promise<FleetEvent>;
	async append(input: unknown, options: AppendOptions = {}): Promise<FleetEvent | FleetEvent[]> {
		const batch = Array.isArray(input) ? input : [input];
		const stored = withImmediateTransaction(this.db, (tx) =>
			appendEvents(tx, batch, options, false),
		);
		return Array.isArray(input) ? stored : (stored[0] as FleetEvent);
	}

	/** Events matching the filters, by global position. */
	async query(query: EventQuery = {}): Promise<FleetEvent[]> {
		return queryEvents(this.db, query);
	}

	/** One stream's events in version order. */
	async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<FleetEvent[]> {
		return readStream(this.db, streamId, options);
	}

	/** A stream's current version (0: no such stream). */
	async streamVersion(streamId: string): Promise<number> {
		return streamVersion(this.db, streamId);
	}

	/** The newest event of a project, or null. */
	async getLatest(projectKey: string): Promise<FleetEvent | null> {
		return getLatestEvent(this.db, projectKey);
	}

	/** The global position of a project's newest event, or the log's without a project (0: none). */
	async getLatestSequence(projectKey?: string): Promise<number> {
		return getLatestSequence(this.db, projectKey);
	}

	/** How many of a project's events match the filters. */
	async count(projectKey: string, filters: EventFilters = {}): Promise<number> {
		return countEvents(this.db, projectKey, filters);
	}
}

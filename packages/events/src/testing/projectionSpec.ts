import { deepStrictEqual } from 'node:assert/strict';
import { type AgentSpaceDb, createInMemoryDb } from '@agentspace/db';
import type { EventPayloadInput, EventType } from '../catalogue/catalogue.js';
import { createEvent } from '../createEvent.js';
import { EventStore } from '../store/EventStore.js';

/**
 * An event a spec appends: its type and payload (`projectKey` defaults to the
 * spec's); the spec fills in the rest of the envelope. One shape per type, so
 * a list may mix types.
 */
export type SpecEvent<T extends EventType = EventType> = T extends EventType
	? { readonly type: T; readonly payload: EventPayloadInput<T>; readonly projectKey?: string }
	: never;

/** A check of the projection tables after the `when` events: throws when they are not as expected. */
export type ProjectionAssertion = (db: AgentSpaceDb) => void;

/** Options of {@link projectionSpec}. */
export interface ProjectionSpecOptions {
	/** The database each case starts from; a new in-memory one by default. */
	readonly db?: () => AgentSpaceDb;
	/** The project key of events that name none (default `/p`). */
	readonly projectKey?: string;
	/**
	 * The clock's start (default `2026-06-01T12:00:00.000Z`): the n-th event of
	 * a case (given and when together, from 1) is timed n seconds after it, so
	 * times in expected rows are predictable — see {@link ProjectionSpec.at}.
	 */
	readonly start?: string;
}

/** The outcome half of a case: what the `when` events must leave, or the error they must throw. */
export interface ProjectionSpecWhen {
	/** Appends the `when` events, runs every assertion, and returns the database for further checks. */
	thenExpect(...assertions: readonly ProjectionAssertion[]): Promise<AgentSpaceDb>;
	/**
	 * Expects appending the `when` events to throw, and the error to pass
	 * `check` (a predicate, or a pattern its message must match). Returns the error.
	 */
	thenThrows(check?: RegExp | ((error: unknown) => boolean)): Promise<unknown>;
}

/** A case's history: `when` names the events under test. */
export interface ProjectionSpecGiven {
	when(events: SpecEvent | readonly SpecEvent[]): ProjectionSpecWhen;
}

/** Starts a case from the events already in the log (`given`), each appended through the event store. */
export interface ProjectionSpec {
	(given?: SpecEvent | readonly SpecEvent[]): ProjectionSpecGiven;
	/** The timestamp of a case's n-th event (given and when together, from 1). */
	at(n: number): string;
}

/** Names an event for a spec: `event('agent_built', { agent_id: 'echo', … })`. */
export function event<T extends EventType>(
	type: T,
	payload: EventPayloadInput<T>,
	projectKey?: string,
): SpecEvent<T> {
	return (
		projectKey === undefined ? { type, payload } : { type, payload, projectKey }
	) as SpecEvent<T>;
}

/**
 * Given / when / then for projections (after emmett's `InMemoryProjectionSpec`):
 * each case starts from a fresh database, appends its `given` events and then
 * its `when` events through the real `EventStore` — so the inline projections
 * run exactly as in production, in the append's transaction — and checks the
 * projection tables with assertions such as {@link expectRows}.
 *
 * ```ts
 * const given = projectionSpec();
 * await given([event('agent_discovered', manifest)])
 *   .when(event('agent_permissions_revoked', { agent_id: 'echo' }))
 *   .thenExpect(expectRows('SELECT status FROM agents', [{ status: 'discovered' }]));
 * ```
 */
export function projectionSpec(options: ProjectionSpecOptions = {}): ProjectionSpec {
	const projectKey = options.projectKey ?? '/p';
	const start = Date.parse(options.start ?? '2026-06-01T12:00:00.000Z');
	const at = (n: number) => new Date(start + n * 1000).toISOString();
	const spec = (given: SpecEvent | readonly SpecEvent[] = []): ProjectionSpecGiven => ({
		when: (when) => {
			// Appends every event in order, one second apart; returns the database.
			const run = async (): Promise<{ db: AgentSpaceDb; error?: { thrown: unknown } }> => {
				const db = (options.db ?? createInMemoryDb)();
				const store = EventStore.fromDb(db);
				const history = listOf(given);
				const events = [...history, ...listOf(when)];
				for (const [index, next] of events.entries()) {
					const pending = createEvent(next.type, {
						project_key: next.projectKey ?? projectKey,
						timestamp: at(index + 1),
						...next.payload,
					} as never);
					if (index < history.length) {
						await store.append(pending);
						continue;
					}
					try {
						await store.append(pending);
					} catch (thrown) {
						return { db, error: { thrown } };
					}
				}
				return { db };
			};
			return {
				thenExpect: async (...assertions) => {
					const { db, error } = await run();
					if (error !== undefined) throw error.thrown;
					for (const assertion of assertions) assertion(db);
					return db;
				},
				thenThrows: async (check) => {
					const { error } = await run();
					if (error === undefined)
						throw new Error('expected the when events to throw; they did not');
					const thrown = error.thrown;
					const passed =
						check === undefined ||
						(check instanceof RegExp
							? check.test(thrown instanceof Error ? thrown.message : String(thrown))
							: check(thrown));
					if (!passed) {
						throw new Error(
							`the when events threw, but not the expected error: ${String(thrown)}`,
							{
								cause: thrown,
							},
						);
					}
					return thrown;
				},
			};
		},
	});
	return Object.assign(spec, { at });
}

/**
 * Asserts that `sql` (with `params`) returns exactly `expected`, in order —
 * choose the columns to compare in the SELECT.
 */
export function expectRows(
	sql: string,
	expected: readonly Record<string, unknown>[],
	...params: unknown[]
): ProjectionAssertion {
	return (db) => {
		const actual = db.$client.prepare(sql).all(...params) as Record<string, unknown>[];
		deepStrictEqual(
			actual.map((row) => ({ ...row })),
			expected.map((row) => ({ ...row })),
			`rows of ${sql}`,
		);
	};
}

function listOf(events: SpecEvent | readonly SpecEvent[]): readonly SpecEvent[] {
	return Array.isArray(events) ? events : [events as SpecEvent];
}

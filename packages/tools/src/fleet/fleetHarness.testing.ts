import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach } from 'vitest';
import type { ToolCaller } from '../callLog/types.js';
import { ToolRouter } from '../router/toolRouter.js';
import { fleetToolGroup } from './fleetToolGroup.js';

// The fleet tools' test set-up, shared by their test files (not built: the
// package's build leaves out *.testing.ts): a real SQLite file in a temporary
// home, and the real router (Ajv argument checks, the call log, denial
// audits) offering the fleet group, as every gateway client and agent channel
// reaches them.

/** An MCP client caller (Claude Code over stdio). */
export const claude: ToolCaller = {
	type: 'mcp-client',
	id: 'claude-code',
	detail: { transport: 'stdio' },
};
/** Another MCP client caller. */
export const cursor: ToolCaller = { type: 'mcp-client', id: 'cursor' };
/** An agent caller: it may act only as the pilot `builder`. */
export const builder: ToolCaller = { type: 'agent', id: 'builder', detail: { runId: 'run_1' } };

/** What a fleet tool refused a call with. */
export interface Refusal {
	readonly code: string;
	readonly message: string;
	readonly hint?: string;
	readonly issues: { path: string; message: string }[];
}

/** The fleet under test: a new database and router before each test, closed after it. */
export interface FleetHarness {
	readonly db: AgentSpaceDb;
	readonly router: ToolRouter;
	/** Calls fleet/`tool` through the router. */
	call(
		caller: ToolCaller,
		tool: string,
		args: Record<string, unknown>,
	): Promise<
		Awaited<ReturnType<ToolRouter['callTool']>> & { structuredContent: Record<string, unknown> }
	>;
	/** Events in the log now. */
	eventCount(): number;
}

/** Registers the set-up and tear-down hooks of the calling test file; the database and router change per test. */
export function useFleetHarness(name: string): FleetHarness {
	let home: TempHome | undefined;
	let db: AgentSpaceDb | undefined;
	let router: ToolRouter | undefined;
	beforeEach(() => {
		home = createTempHome(name);
		db = openDb({ path: join(home.home, 'agentspace.db') });
		router = new ToolRouter({
			db,
			securityMode: () => 'limited-control',
			builtins: [fleetToolGroup({ db, projectKey: '/work/repo' })],
		});
	});
	afterEach(() => {
		router?.close();
		if (db !== undefined) closeDb(db);
		home?.cleanup();
	});
	const harness: FleetHarness = {
		get db() {
			return db as AgentSpaceDb;
		},
		get router() {
			return router as ToolRouter;
		},
		async call(caller, tool, args) {
			const result = await harness.router.callTool(caller, `fleet/${tool}`, args);
			return result as typeof result & { structuredContent: Record<string, unknown> };
		},
		eventCount: () =>
			(harness.db.$client.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
	};
	return harness;
}

/** The error `promise` rejects with; throws when it resolves. */
export async function refusal(promise: Promise<unknown>): Promise<Refusal> {
	try {
		await promise;
	} catch (error) {
		return error as Refusal;
	}
	throw new Error('expected a refusal');
}

import { type SecurityMode, sha256Hex } from '@agentspace/core';
import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { listTools } from '../registry/listTools.js';
import type { BuiltinToolGroup } from '../router/builtinTools.js';
import { indexBuiltins } from '../router/indexBuiltins.js';
import type { ToolDefinition } from '../toolDefinition.js';
import { builtinGatewayName, type GatewayName, gatewayToolName } from './gatewayNames.js';

/** One tool every gateway session may list: its exposed name, target and definition. */
export interface GatewayTool extends GatewayName {
	/** As the agent offered it (untrusted text: escape before showing it), or the built-in's. */
	readonly definition: ToolDefinition;
	readonly builtin: boolean;
}

/** Options of {@link GatewayCatalog}. */
export interface GatewayCatalogOptions {
	readonly db: AgentSpaceDb;
	/** The configured security mode (decides default policies), read at each recompute. */
	readonly securityMode: () => SecurityMode;
	/** Whether calls to the agent are routed now (the router's isRunning). */
	readonly isRunning: (agentId: string) => boolean;
	readonly builtins: readonly BuiltinToolGroup[];
	/** How often writes not announced by refresh() (tools allow/deny/accept from the CLI or the UI) are looked for; 1000 ms default. */
	readonly pollIntervalMs?: number;
	readonly log?: (line: string) => void;
}

/** The default of {@link GatewayCatalogOptions.pollIntervalMs}. */
export const DEFAULT_CATALOG_POLL_MS = 1000;

interface Table {
	readonly tools: readonly GatewayTool[];
	readonly byName: ReadonlyMap<string, GatewayTool>;
	readonly hash: string;
	/** What the table was computed under, besides the database: the security mode and which agents ran. */
	readonly securityMode: SecurityMode;
	readonly running: ReadonlyMap<string, boolean>;
}

/**
 * What every gateway session lists: the callable tools (offered as pinned,
 * allowed) of every running MCP agent and every built-in tool, sorted by
 * name, kept in memory so a call resolves its name without a read. It is
 * recomputed by {@link refresh} (the daemon calls it when an agent connects,
 * re-lists, disconnects or turns unhealthy) and, while a listener is
 * subscribed, when an event was appended since the last look — a policy set
 * or a tool accepted by the CLI (another process) or the admin UI (the
 * daemon's own connection) — found by polling the event log's last sequence
 * number, one indexed read per interval. (`PRAGMA data_version` would be as
 * cheap but never changes for the connection's own commits: the admin UI's
 * would be missed.) Listeners hear of a recompute only when the list changed
 * (its names and definition hashes). The poll also recomputes when the
 * security mode changed or an agent with callable tools started, stopped or
 * turned unhealthy in the router, so a missed refresh() is caught within an
 * interval.
 *
 * An agent whose id is a configured built-in group's (`agentspace`, `fleet`)
 * is not listed: the router sends its `<agent>/<tool>` targets to the group.
 */
export class GatewayCatalog {
	readonly #options: GatewayCatalogOptions;
	readonly #builtinTools: readonly GatewayTool[];
	/** The configured groups' ids: the router sends their targets to the group, not to an agent of that id. */
	readonly #groupIds: ReadonlySet<string>;
	readonly #listeners = new Set<() => void>();
	readonly #pollMs: number;
	#table: Table | undefined;
	/** The event log's last sequence number when the table was computed. */
	#seen: number | undefined;
	#timer: NodeJS.Timeout | undefined;
	#closed = false;

	constructor(options: GatewayCatalogOptions) {
		this.#options = options;
		this.#pollMs = options.pollIntervalMs ?? DEFAULT_CATALOG_POLL_MS;
		const tools: GatewayTool[] = [];
		for (const [groupId, group] of indexBuiltins(options.builtins))
			for (const [name, entry] of group)
				tools.push({
					...builtinGatewayName(groupId, name),
					definition: entry.definition,
					builtin: true,
				});
		this.#builtinTools = tools;
		this.#groupIds = new Set(options.builtins.map((group) => group.id));
	}

	/** Callable tools of every running MCP agent (callable, agent running) + every built-in, sorted by name. */
	list(): readonly GatewayTool[] {
		return this.#current().tools;
	}

	/** The tool a client calls by `name`, or undefined when no listed tool has it. */
	resolve(name: string): GatewayTool | undefined {
		// No read on a call's path: the table as last computed (sessions keep it current by listening).
		return (this.#table ?? this.#current()).byName.get(name);
	}

	/** Recomputes now; listeners hear of it only when the list changed. */
	refresh(): void {
		if (this.#closed) return;
		const before = this.#table?.hash;
		this.#seen = this.#lastEvent();
		this.#table = this.#recompute();
		if (before !== undefined && before !== this.#table.hash) this.#notify();
	}

	/** Calls `listener` after each change of the list; returns the unsubscribe. Polling runs while one is subscribed. */
	onChange(listener: () => void): () => void {
		if (this.#closed) return () => {};
		this.#listeners.add(listener);
		// The list the listener will be told changed is the one known now.
		this.#current();
		this.#startPolling();
		return () => {
			this.#listeners.delete(listener);
			if (this.#listeners.size === 0) this.#stopPolling();
		};
	}

	/** Stops polling and forgets the listeners. */
	close(): void {
		this.#closed = true;
		this.#listeners.clear();
		this.#stopPolling();
	}

	#current(): Table {
		if (this.#table === undefined) {
			this.#seen = this.#lastEvent();
			this.#table = this.#recompute();
		} else if (this.#timer === undefined && !this.#closed) {
			// Not polling: look for writes now (one cheap read).
			const version = this.#lastEvent();
			if (version !== this.#seen || this.#outdated()) {
				this.#seen = version;
				this.#table = this.#recompute();
			}
		}
		return this.#table;
	}

	#startPolling(): void {
		if (this.#timer !== undefined) return;
		this.#timer = setInterval(() => this.#poll(), this.#pollMs);
		this.#timer.unref();
	}

	#stopPolling(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	#poll(): void {
		try {
			if (this.#lastEvent() !== this.#seen || this.#outdated()) this.refresh();
		} catch (error) {
			this.#log(`tool catalog: polling failed: ${(error as Error).message}`);
		}
	}

	/**
	 * Whether what the table was computed under changed without a write: the
	 * configured security mode, or an agent started, stopped or turned
	 * unhealthy in the router without refresh() (a map lookup per agent).
	 */
	#outdated(): boolean {
		const table = this.#table;
		if (table === undefined) return false;
		if (this.#options.securityMode() !== table.securityMode) return true;
		for (const [agentId, running] of table.running)
			if (this.#options.isRunning(agentId) !== running) return true;
		return false;
	}

	/** The event log's last sequence number: every registry change appends an event. */
	#lastEvent(): number {
		const row = prepared(
			this.#options.db.$client,
			'SELECT max(sequence) AS last FROM events',
		).get() as { last: number | null } | undefined;
		return row?.last ?? 0;
	}

	/** A new table, or the old one's tools when the list did not change (sessions keep their renderings). */
	#recompute(): Table {
		const table = this.#compute();
		const old = this.#table;
		if (old === undefined || old.hash !== table.hash) return table;
		return { ...table, tools: old.tools, byName: old.byName };
	}

	#compute(): Table {
		const byName = new Map<string, GatewayTool>();
		for (const tool of this.#builtinTools) byName.set(tool.name, tool);
		const securityMode = this.#options.securityMode();
		const running = new Map<string, boolean>();
		const rows = listTools(this.#options.db, { securityMode });
		for (const row of rows) {
			if (!row.callable || this.#groupIds.has(row.agentId)) continue;
			let isRunning = running.get(row.agentId);
			if (isRunning === undefined) {
				isRunning = this.#options.isRunning(row.agentId);
				running.set(row.agentId, isRunning);
			}
			if (!isRunning) continue;
			const name = gatewayToolName(row.agentId, row.name);
			const taken = byName.get(name.name);
			if (taken !== undefined) {
				// Cannot happen by the naming rule; a second target never shadows the first.
				this.#log(
					`tool catalog: ${name.target} dropped: its name ${name.name} is ${taken.target}'s`,
				);
				continue;
			}
			byName.set(name.name, { ...name, definition: row.definition, builtin: false });
		}
		const tools = [...byName.values()].sort((a, b) =>
			a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
		);
		const hash = sha256Hex(
			tools.map((tool) => `${tool.name}\t${tool.definition.definitionHash}`).join('\n'),
		);
		return { tools, byName, hash, securityMode, running };
	}

	#notify(): void {
		for (const listener of [...this.#listeners]) {
			try {
				listener();
			} catch (error) {
				this.#log(`tool catalog: a change listener failed: ${(error as Error).message}`);
			}
		}
	}

	#log(line: string): void {
		try {
			this.#options.log?.(line);
		} catch {
			// A failing log sink must not stop the catalog.
		}
	}
}

import { type SecurityMode, sha256Hex } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { listTools } from '../registry/listTools.js';
import { BUILTIN_GROUP_IDS, type BuiltinToolGroup } from '../router/builtinTools.js';
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
	/** How often other processes' writes (tools allow/deny/accept from the CLI) are looked for; 1000 ms default. */
	readonly pollIntervalMs?: number;
	readonly log?: (line: string) => void;
}

/** The default of {@link GatewayCatalogOptions.pollIntervalMs}. */
export const DEFAULT_CATALOG_POLL_MS = 1000;

interface Table {
	readonly tools: readonly GatewayTool[];
	readonly byName: ReadonlyMap<string, GatewayTool>;
	readonly hash: string;
}

/**
 * What every gateway session lists: the callable tools (offered as pinned,
 * allowed) of every running MCP agent and every built-in tool, sorted by
 * name, kept in memory so a call resolves its name without a read. It is
 * recomputed by {@link refresh} (the daemon calls it when an agent connects,
 * re-lists or disconnects: its own writes) and, while a listener is
 * subscribed, when another process committed to the database (the CLI's
 * `tools allow/deny/accept`), found by polling `PRAGMA data_version` — one
 * cheap read per interval. Listeners hear of a recompute only when the list
 * changed (its names and definition hashes).
 *
 * An agent whose id is a built-in group's (`agentspace`, `fleet`) is not
 * listed: its `<agent>/<tool>` targets route to the built-in group.
 */
export class GatewayCatalog {
	readonly #options: GatewayCatalogOptions;
	readonly #builtinTools: readonly GatewayTool[];
	readonly #listeners = new Set<() => void>();
	readonly #pollMs: number;
	#table: Table | undefined;
	#dataVersion: number | undefined;
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
	}

	/** Callable tools of every running MCP agent (callable, agent running) + every built-in, sorted by name. */
	list(): readonly GatewayTool[] {
		return this.#current().tools;
	}

	/** The tool a client calls by `name`, or undefined when no listed tool has it. */
	resolve(name: string): GatewayTool | undefined {
		return this.#current().byName.get(name);
	}

	/** Recomputes now; listeners hear of it only when the list changed. */
	refresh(): void {
		if (this.#closed) return;
		const before = this.#table?.hash;
		this.#dataVersion = this.#readDataVersion();
		this.#table = this.#compute();
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
			this.#dataVersion = this.#readDataVersion();
			this.#table = this.#compute();
		} else if (this.#timer === undefined && !this.#closed) {
			// Not polling: look for other processes' writes now (one cheap read).
			const version = this.#readDataVersion();
			if (version !== this.#dataVersion) {
				this.#dataVersion = version;
				this.#table = this.#compute();
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
			if (this.#readDataVersion() !== this.#dataVersion) this.refresh();
		} catch (error) {
			this.#log(`tool catalog: polling failed: ${(error as Error).message}`);
		}
	}

	#readDataVersion(): number {
		return this.#options.db.$client.pragma('data_version', { simple: true }) as number;
	}

	#compute(): Table {
		const byName = new Map<string, GatewayTool>();
		for (const tool of this.#builtinTools) byName.set(tool.name, tool);
		const rows = listTools(this.#options.db, { securityMode: this.#options.securityMode() });
		for (const row of rows) {
			if (!row.callable || BUILTIN_GROUP_IDS.has(row.agentId)) continue;
			if (!this.#options.isRunning(row.agentId)) continue;
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
		return { tools, byName, hash };
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

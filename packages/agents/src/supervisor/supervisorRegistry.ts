import { AgentSpaceError, NotFoundError } from '@agentspace/core';
import type { RestartPolicy } from '../launcher/restartPolicy.js';
import {
	type SuperviseOptions,
	type Supervisor,
	superviseAgent,
} from '../launcher/superviseAgent.js';
import type { RunSupervisor, SupervisedRuns } from '../lifecycle/runSupervisor.js';
import type { StoppedAgent, SupervisedAgent } from './supervisedAgent.js';

/**
 * What every run the daemon starts shares: the database, the home, the
 * sandbox host… and `onProtocolChannel`, which is given the protocol channel
 * of each run of an MCP agent (to connect the daemon's MCP client to it).
 */
export type SharedSuperviseOptions = Omit<
	SuperviseOptions,
	'id' | 'actor' | 'restart' | 'unsandboxed' | 'env' | 'onStatus' | 'onLine'
>;

/** One run request. */
export interface RunRequest {
	readonly id: string;
	readonly restart: RestartPolicy;
	readonly unsandboxed: boolean;
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly actor: SuperviseOptions['actor'];
	/** The audit entries' `sourceApp` when not the daemon's own (a run started from the web UI). */
	readonly sourceApp?: string;
}

interface Entry {
	supervisor: Supervisor | undefined;
	/**
	 * Settles when the first run has started (its supervisor) or failed to
	 * (undefined): a sandboxed start plans its sandbox first, and a stop that
	 * arrives meanwhile waits for this instead of answering "not running".
	 */
	starting: Promise<Supervisor | undefined>;
	state: SupervisedAgent['state'];
	runId: string | null;
	pid: number | null;
	restarts: number;
	startedAt: string | null;
	logPath: string | null;
	readonly sandboxed: boolean;
	readonly restartPolicy: RestartPolicy;
}

/**
 * The agents the daemon supervises, by id: one supervision per agent, started
 * by `run`, ended by `stop` (or by the agent ending for good). Each keeps the
 * state `agents status` shows: the current run, its pid, restarts.
 */
export class SupervisorRegistry implements RunSupervisor {
	readonly #entries = new Map<string, Entry>();
	readonly #shared: SharedSuperviseOptions;

	constructor(shared: SharedSuperviseOptions) {
		this.#shared = shared;
	}

	/** Starts supervising `request.id`; resolves once its first run has started. */
	async run(request: RunRequest): Promise<SupervisedAgent> {
		const existing = this.#entries.get(request.id);
		if (existing !== undefined) {
			throw new AgentSpaceError(
				`agent "${request.id}" is already running under the daemon${existing.pid === null ? '' : ` (pid ${existing.pid})`}`,
				{ code: 'CONFLICT', hint: `stop it first: agentspace agents stop ${request.id}` },
			);
		}
		const entry: Entry = {
			supervisor: undefined,
			starting: Promise.resolve(undefined),
			state: 'running',
			runId: null,
			pid: null,
			restarts: 0,
			startedAt: null,
			logPath: null,
			sandboxed: !request.unsandboxed,
			restartPolicy: request.restart,
		};
		// Reserved before the first await: two run requests for one agent cannot both start it.
		this.#entries.set(request.id, entry);
		try {
			const starting = superviseAgent({
				...this.#shared,
				id: request.id,
				actor: request.actor,
				restart: request.restart,
				unsandboxed: request.unsandboxed,
				env: request.env,
				...(request.sourceApp === undefined ? {} : { sourceApp: request.sourceApp }),
				onStatus: (status) => {
					switch (status.state) {
						case 'started':
							entry.state = entry.state === 'stopping' ? 'stopping' : 'running';
							entry.runId = status.runId;
							entry.pid = status.pid;
							entry.logPath = status.logPath;
							entry.startedAt = new Date().toISOString();
							break;
						case 'ended':
							entry.pid = null;
							break;
						case 'restarting':
							if (entry.state !== 'stopping') entry.state = 'restarting';
							entry.restarts = status.restarts;
							break;
						case 'errored':
							break;
					}
				},
			});
			entry.starting = starting.then(
				(supervisor) => supervisor,
				() => undefined,
			);
			entry.supervisor = await starting;
		} catch (error) {
			this.#entries.delete(request.id);
			throw error;
		}
		void entry.supervisor.done.finally(() => {
			if (this.#entries.get(request.id) === entry) this.#entries.delete(request.id);
		});
		return snapshot(request.id, entry);
	}

	/** Stops `id` (SIGTERM to its group, SIGKILL after `graceMs`) and ends its supervision. */
	async stop(
		id: string,
		graceMs: number,
		actor?: SuperviseOptions['actor'],
	): Promise<StoppedAgent> {
		const stopped = await this.#stopEntry(id, graceMs, actor);
		if (stopped === undefined) {
			throw new NotFoundError(`agent "${id}" is not running under the daemon`, {
				hint: 'see what runs: agentspace agents status',
			});
		}
		return stopped;
	}

	/** Stops every supervised agent (those still starting too), in parallel. */
	async stopAll(graceMs: number, actor?: SuperviseOptions['actor']): Promise<StoppedAgent[]> {
		const stopped = await Promise.all(
			[...this.#entries.keys()].map((id) => this.#stopEntry(id, graceMs, actor)),
		);
		return stopped.filter((agent): agent is StoppedAgent => agent !== undefined);
	}

	/** Stops `id`, waiting for a start under way; undefined when nothing runs (or the start failed). */
	async #stopEntry(
		id: string,
		graceMs: number,
		actor?: SuperviseOptions['actor'],
	): Promise<StoppedAgent | undefined> {
		const entry = this.#entries.get(id);
		if (entry === undefined) return undefined;
		// Marked first: the start's 'started' status keeps it, so status shows it stopping.
		entry.state = 'stopping';
		const supervisor = entry.supervisor ?? (await entry.starting);
		if (supervisor === undefined) return undefined;
		const runId = entry.runId;
		const result = await supervisor.stop(graceMs, actor);
		return { id, runId, exit: result.lastExit ?? null };
	}

	/** Its runs' supervisor pid (this process) and the agents it supervises: what stopAgent needs. */
	supervised(): SupervisedRuns {
		return { pid: this.#shared.supervisorPid ?? process.pid, ids: [...this.#entries.keys()] };
	}

	/** What runs, by id. */
	list(): SupervisedAgent[] {
		return [...this.#entries].map(([id, entry]) => snapshot(id, entry));
	}
}

function snapshot(id: string, entry: Entry): SupervisedAgent {
	return {
		id,
		state: entry.state,
		runId: entry.runId,
		pid: entry.pid,
		sandboxed: entry.sandboxed,
		restartPolicy: entry.restartPolicy,
		restarts: entry.restarts,
		startedAt: entry.startedAt,
		logPath: entry.logPath,
	};
}

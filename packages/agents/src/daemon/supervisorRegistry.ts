import { AgentSpaceError, NotFoundError } from '@agentspace/core';
import type { RestartPolicy } from '../launcher/restartPolicy.js';
import {
	type SuperviseOptions,
	type Supervisor,
	superviseAgent,
} from '../launcher/superviseAgent.js';
import type { StoppedAgent, SupervisedAgent } from './daemonProtocol.js';

/** What every run the daemon starts shares: the database, the home, the sandbox host… */
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
export class SupervisorRegistry {
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
			entry.supervisor = await superviseAgent({
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
		const entry = this.#entries.get(id);
		if (entry?.supervisor === undefined) {
			throw new NotFoundError(`agent "${id}" is not running under the daemon`, {
				hint: 'see what runs: agentspace agents status',
			});
		}
		entry.state = 'stopping';
		const runId = entry.runId;
		const result = await entry.supervisor.stop(graceMs, actor);
		return { id, runId, exit: result.lastExit ?? null };
	}

	/** Stops every supervised agent, in parallel. */
	async stopAll(graceMs: number, actor?: SuperviseOptions['actor']): Promise<StoppedAgent[]> {
		const ids = [...this.#entries.keys()].filter((id) => this.#entries.get(id)?.supervisor);
		return Promise.all(ids.map((id) => this.stop(id, graceMs, actor)));
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

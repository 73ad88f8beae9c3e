import {
	type LostRun,
	type OnProtocolChannel,
	type OnToolChannel,
	reconcileRuns,
	type SharedSuperviseOptions,
	SupervisorRegistry,
} from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { DaemonService, DaemonServiceContext } from '../daemonService.js';
import type { DaemonLauncher } from '../hostedUi.js';
import type { MethodHandlers } from '../methodTable.js';
import type { KeysSupervision } from './keysService.js';
import {
	SUPERVISOR_METHODS,
	type SupervisorClosed,
	type SupervisorStatus,
} from './supervisorMethods.js';

/** Options of {@link supervisorService}. */
export interface SupervisorServiceOptions {
	/** The daemon's environment: PATH, LANG, TZ (and approved variables) for the runs it starts itself. */
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly userHome?: string;
	/** How sandboxed runs are started (see superviseAgent). */
	readonly sandboxHostScript?: string;
	/** Given each started run of an MCP agent and its protocol channel (the tools service's hook). */
	readonly onProtocolChannel?: OnProtocolChannel;
	/** Given each started run approved for tool:call and its channel (the agent channels' hook). */
	readonly onToolChannel?: OnToolChannel;
	/** The LLM endpoint's address (when it serves), run registry and secrets (the keys service's hooks). */
	readonly llm?: KeysSupervision;
}

/** The supervisor as a daemon service, with what other services and tests need of it. */
export interface SupervisorService
	extends DaemonService<typeof SUPERVISOR_METHODS, SupervisorStatus, SupervisorClosed> {
	/** What the daemon lends a web UI it hosts: this supervisor. */
	readonly launcher: DaemonLauncher;
	/** Runs found lost when it started (recorded as crashed). */
	lost(): readonly LostRun[];
}

/**
 * `shared` with the LLM endpoint's hooks. The keys service starts after the
 * supervisor, so `llmEndpoint` is an enumerable getter, read when a run is
 * requested (the registry spreads the shared options then): a run gets the
 * endpoint's address only while it serves — never a port someone else holds,
 * who would be handed the run's session token.
 */
function withLlm(
	shared: SharedSuperviseOptions,
	llm: KeysSupervision | undefined,
): SharedSuperviseOptions {
	if (llm === undefined) return shared;
	const options = {
		...shared,
		onRunCredentials: llm.onRunCredentials,
		resolveSecrets: llm.resolveSecrets,
	};
	Object.defineProperty(options, 'llmEndpoint', { get: () => llm.endpoint(), enumerable: true });
	return options;
}

/**
 * The lifecycle's supervisor (`SupervisorRegistry` of `@agentspace/agents`)
 * hosted by the daemon: at start it reconciles the catalogue (lost runs
 * become `agent_run_crashed`), once the socket listens it starts again the
 * lost agents whose restart policy is `always`, it answers `run`, `stop` and
 * `stopAll`, and at shutdown it stops every agent.
 */
export function supervisorService(options: SupervisorServiceOptions): SupervisorService {
	let registry: SupervisorRegistry | undefined;
	let lost: LostRun[] = [];
	let log: (line: string) => void = () => {};
	const started = (): SupervisorRegistry => {
		if (registry === undefined) {
			throw new AgentSpaceError('the daemon has not started its supervisor yet', {
				code: 'CONFLICT',
				hint: 'try again in a moment: agentspace daemon status',
			});
		}
		return registry;
	};
	const handlers: MethodHandlers<typeof SUPERVISOR_METHODS> = {
		run: async (params) => {
			log(`run ${params.id} (restart ${params.restart}) for ${params.actor.id}`);
			return started().run({
				id: params.id,
				restart: params.restart,
				unsandboxed: params.unsandboxed,
				env: params.env,
				actor: params.actor,
			});
		},
		stop: async (params) => {
			log(`stop ${params.id} for ${params.actor.id}`);
			return started().stop(params.id, params.graceMs, params.actor);
		},
		stopAll: async (params) => started().stopAll(params.graceMs, params.actor),
	};
	return {
		name: 'supervisor',
		methods: SUPERVISOR_METHODS,
		handlers,
		launcher: {
			run: (id, restart, actor, sourceApp) =>
				started().run({ id, restart, unsandboxed: false, env: options.env, actor, sourceApp }),
			stop: (id, graceMs, actor) => started().stop(id, graceMs, actor),
			stopAll: (graceMs, actor) => started().stopAll(graceMs, actor),
			supervised: () => registry?.supervised(),
			list: () => registry?.list() ?? [],
		},
		lost: () => lost,
		async start(context: DaemonServiceContext) {
			log = context.log;
			const sourceApp = context.sourceApp === undefined ? {} : { sourceApp: context.sourceApp };
			lost = await reconcileRuns(context.db, {
				actor: context.actor,
				home: context.home,
				...sourceApp,
			});
			for (const run of lost) {
				log(
					`run ${run.runId} of ${run.agentId} was lost${run.orphanStopped ? ' (its orphaned processes were stopped)' : ''}`,
				);
			}
			const shared: SharedSuperviseOptions = {
				db: context.db,
				home: context.home,
				supervisorPid: process.pid,
				socketPath: context.paths.socket,
				...(options.userHome === undefined ? {} : { userHome: options.userHome }),
				...(options.sandboxHostScript === undefined
					? {}
					: { sandboxHostScript: options.sandboxHostScript }),
				...(options.onProtocolChannel === undefined
					? {}
					: { onProtocolChannel: options.onProtocolChannel }),
				...(options.onToolChannel === undefined ? {} : { onToolChannel: options.onToolChannel }),
				...sourceApp,
			};
			registry = new SupervisorRegistry(withLlm(shared, options.llm));
		},
		async listening(context: DaemonServiceContext) {
			for (const run of lost) {
				if (run.restartPolicy !== 'always') continue;
				try {
					await started().run({
						id: run.agentId,
						restart: 'always',
						unsandboxed: !run.sandboxed,
						env: options.env,
						actor: context.actor,
					});
					log(`started ${run.agentId} again (restart policy always)`);
				} catch (error) {
					log(`could not start ${run.agentId} again: ${(error as Error).message}`);
				}
			}
		},
		status: () => ({ agents: registry?.list() ?? [] }),
		async close(actor, graceMs) {
			log('stopping every agent');
			return { stopped: registry === undefined ? [] : await registry.stopAll(graceMs, actor) };
		},
	};
}

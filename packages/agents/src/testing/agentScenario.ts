import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import {
	createFixtureAgentRepo,
	createRunFixtureAgentRepo,
	createTempHome,
	type GitRepo,
	type RunFixtureAgentRepoOptions,
} from '@agentspace/testing';
import { buildAgent } from '../build/buildAgent.js';
import type { ChangeActor } from '../catalog/recordChange.js';
import { enableAgent } from '../enable/enableAgent.js';
import { type InstallResult, installAgent } from '../install/installAgent.js';
import { superviseAgent } from '../launcher/superviseAgent.js';
import type { SuperviseOptions, Supervisor } from '../launcher/supervision.js';

/** How far a scenario has taken its agent, in lifecycle order. */
export type AgentStage = 'created' | 'installed' | 'built' | 'enabled' | 'running';

const STAGES: readonly AgentStage[] = ['created', 'installed', 'built', 'enabled', 'running'];

/** The agent a scenario installs: one of the fixture agents, as a real git repository. */
export interface ScenarioAgent extends RunFixtureAgentRepoOptions {
	/**
	 * `run` (default): the runnable fixture (no build step, `node agent.mjs
	 * <args>`; see `createRunFixtureAgentRepo`). `build`: the fixture as
	 * committed, whose build step makes `dist/agent.mjs` (`args`,
	 * `permissions` and `script` do not apply).
	 */
	readonly fixture?: 'run' | 'build';
}

/** Options of {@link agentScenario}. */
export interface AgentScenarioOptions {
	/** Names the temporary home (`agentspace-test-<label>-…`). */
	readonly label?: string;
	/** The stage to reach before resolving (default `installed`). */
	readonly until?: AgentStage;
	readonly agent?: ScenarioAgent;
	/** Who installs, builds, enables and runs (default the human `tester`). */
	readonly actor?: ChangeActor;
	/** What `enabled` approves (default every requested permission). */
	readonly approve?: 'all' | readonly string[];
	/** Base of `~` in permissions, for install and enable (default the OS user's home). */
	readonly userHome?: string;
	/** The build's and the run's environment (default PATH only). */
	readonly env?: Readonly<Record<string, string | undefined>>;
	/** Options of the `running` stage's `superviseAgent` (default unsandboxed, restart `no`). */
	readonly run?: Partial<SuperviseOptions>;
}

/** A throwaway AgentSpace home with one agent taken through its lifecycle by the real functions. */
export interface AgentScenario {
	/** The temporary AgentSpace home (its database is `<home>/agentspace.db`). */
	readonly home: string;
	/** The home's database, open. */
	readonly db: AgentSpaceDb;
	/** The agent's git repository (commit to it to make a new version). */
	readonly repo: GitRepo;
	/** The agent's id (`echo-agent` unless the manifest says otherwise). */
	readonly id: string;
	readonly actor: ChangeActor;
	/** The stage reached so far. */
	readonly stage: AgentStage;
	/** The install's result, once `installed`. */
	readonly installed: InstallResult | undefined;
	/** The supervision of the agent's run, once `running`. */
	readonly supervisor: Supervisor | undefined;
	/** Takes the agent through every stage after the current one up to `stage` (a stage reached already is a no-op). */
	advance(stage: AgentStage): Promise<AgentScenario>;
	/** Stops a supervised run, closes the database, removes the home and the repository. */
	cleanup(): Promise<void>;
}

const TESTER: ChangeActor = { type: 'human', id: 'tester' };

/**
 * Sets up a temporary home, its database and a fixture agent's repository,
 * and takes the agent through installed → built → enabled → running with the
 * real `installAgent`, `buildAgent`, `enableAgent` and `superviseAgent` — no
 * forged events. A stage that fails cleans everything up and throws.
 *
 * ```ts
 * const agent = await agentScenario({ label: 'ui', until: 'enabled' });
 * try { … agent.db, agent.home, agent.id … } finally { await agent.cleanup(); }
 * ```
 */
export async function agentScenario(options: AgentScenarioOptions = {}): Promise<AgentScenario> {
	const temp = createTempHome(options.label ?? 'scenario');
	const db = openDb({ path: join(temp.home, 'agentspace.db') });
	const { fixture = 'run', manifest, ...runAgent } = options.agent ?? {};
	let repo: GitRepo | undefined;
	try {
		repo =
			fixture === 'build'
				? createFixtureAgentRepo(manifest)
				: createRunFixtureAgentRepo({
						...runAgent,
						...(manifest === undefined ? {} : { manifest }),
					});
	} catch (error) {
		closeDb(db);
		temp.cleanup();
		throw error;
	}
	const actor = options.actor ?? TESTER;
	const env = options.env ?? { PATH: process.env.PATH };
	const userHome = options.userHome === undefined ? {} : { userHome: options.userHome };
	const agentRepo = repo;
	let stage: AgentStage = 'created';
	let installed: InstallResult | undefined;
	let supervisor: Supervisor | undefined;
	let cleaned = false;

	const steps: Record<Exclude<AgentStage, 'created'>, () => Promise<void>> = {
		installed: async () => {
			installed = await installAgent({
				db,
				home: temp.home,
				source: agentRepo.url,
				actor,
				...userHome,
			});
		},
		built: async () => {
			const result = await buildAgent({ db, home: temp.home, id: scenario.id, actor, env });
			if (!result.ok) throw new Error(`the scenario's build of ${scenario.id} failed`);
		},
		enabled: async () => {
			enableAgent({ db, id: scenario.id, approve: options.approve ?? 'all', actor, ...userHome });
		},
		running: async () => {
			supervisor = await superviseAgent({
				db,
				home: temp.home,
				id: scenario.id,
				actor,
				unsandboxed: true,
				env,
				...userHome,
				...options.run,
			});
		},
	};

	const scenario: AgentScenario = {
		home: temp.home,
		db,
		repo: agentRepo,
		get id() {
			return (
				installed?.id ?? String((manifest as { id?: unknown } | undefined)?.id ?? 'echo-agent')
			);
		},
		actor,
		get stage() {
			return stage;
		},
		get installed() {
			return installed;
		},
		get supervisor() {
			return supervisor;
		},
		async advance(target) {
			for (const next of STAGES.slice(STAGES.indexOf(stage) + 1, STAGES.indexOf(target) + 1)) {
				await steps[next as Exclude<AgentStage, 'created'>]();
				stage = next;
			}
			return scenario;
		},
		async cleanup() {
			if (cleaned) return;
			cleaned = true;
			try {
				await supervisor?.stop(1000);
			} finally {
				closeDb(db);
				agentRepo.cleanup();
				temp.cleanup();
			}
		},
	};
	try {
		return await scenario.advance(options.until ?? 'installed');
	} catch (error) {
		await scenario.cleanup();
		throw error;
	}
}

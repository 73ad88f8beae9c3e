import { readFileSync } from 'node:fs';
import {
	createFixtureAgentRepo,
	FIXTURE_RUN_AGENT,
	fixtureAgentManifest,
	type GitRepo,
} from './gitRepo.js';

/** What {@link createRunFixtureAgentRepo} puts in the agent. */
export interface RunFixtureAgentRepoOptions {
	/** Arguments after `agent.mjs` in the entrypoint (e.g. `['--every', '50']`); none by default. */
	readonly args?: readonly string[];
	/** The manifest's permissions; none by default. */
	readonly permissions?: readonly string[];
	/** The script committed as `agent.mjs`; the run fixture ({@link FIXTURE_RUN_AGENT}) by default. */
	readonly script?: string;
	/** Manifest fields over the ones above (e.g. `{ id: 'ticker', name: 'Ticker' }`). */
	readonly manifest?: Readonly<Record<string, unknown>>;
}

/**
 * A git repository of the fixture agent (`echo-agent`) made to be run: no
 * build step, the entrypoint `node agent.mjs <args>`, the given permissions
 * and `agent.mjs` (the run fixture unless another script is given) committed
 * on top of the tagged fixture. The caller cleans it up.
 */
export function createRunFixtureAgentRepo(options: RunFixtureAgentRepoOptions = {}): GitRepo {
	const { build: _build, ...manifest } = fixtureAgentManifest();
	const repo = createFixtureAgentRepo({
		...manifest,
		build: undefined,
		entrypoint: { command: 'node', args: ['agent.mjs', ...(options.args ?? [])] },
		permissions: [...(options.permissions ?? [])],
		...options.manifest,
	});
	repo.commit({ 'agent.mjs': options.script ?? readFileSync(FIXTURE_RUN_AGENT, 'utf8') });
	return repo;
}

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitRepo, type GitRepo } from './gitRepo.js';

/**
 * The npm cache every test run shares (in the system's temp directory): the
 * fixtures' build steps install from it without asking the registry once it
 * holds their packages (`prefer-offline`), so a second run is fast and works
 * offline.
 */
export const NPM_TEST_CACHE_DIR = join(tmpdir(), 'agentspace-test-npm-cache');

/** What {@link createNpmAgentRepo} commits. */
export interface NpmAgentRepoSpec {
	/** The repository's name. */
	readonly name: string;
	/** The fixture's manifest (build step `npm install`), with any fields already changed. */
	readonly manifest: Record<string, unknown>;
	/** Arguments appended to the manifest's entrypoint. */
	readonly args?: readonly string[];
	/** The manifest's permissions. */
	readonly permissions: readonly string[];
	/** The agent's files beside the manifest: its `package.json` first, then any others. */
	readonly files: Readonly<Record<string, string>>;
	/** The commit's message. */
	readonly message: string;
}

/**
 * A git repository of an agent that npm installs (tagged `v1`): its manifest
 * (`args` appended to the entrypoint, `permissions` set), its files, an
 * `.npmrc` pointing npm at {@link NPM_TEST_CACHE_DIR} with `prefer-offline`
 * (a test's setting, not the agent's: the build's HOME is new for every
 * home) and a `.gitignore` for what the build installs. The caller cleans it up.
 */
export function createNpmAgentRepo(spec: NpmAgentRepoSpec): GitRepo {
	const entrypoint = spec.manifest.entrypoint as { command: string; args?: string[] };
	const repo = createGitRepo(spec.name);
	repo.commit(
		{
			'agentspace.agent.json': {
				...spec.manifest,
				entrypoint: { ...entrypoint, args: [...(entrypoint.args ?? []), ...(spec.args ?? [])] },
				permissions: [...spec.permissions],
			},
			...spec.files,
			'.npmrc': [
				`cache=${NPM_TEST_CACHE_DIR}`,
				'prefer-offline=true',
				'update-notifier=false',
				'',
			].join('\n'),
			'.gitignore': 'node_modules/\npackage-lock.json\n',
		},
		spec.message,
	);
	repo.tag('v1');
	return repo;
}

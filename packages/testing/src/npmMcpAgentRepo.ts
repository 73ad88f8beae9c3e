import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGitRepo, type GitRepo } from './gitRepo.js';

/** The published MCP servers packaged as agents under `fixtures/npm-mcp-agents/`. */
export type NpmMcpAgentName = 'server-everything' | 'server-filesystem';

/** The directory of the npm-installed MCP agent fixtures (`fixtures/npm-mcp-agents`). */
export const NPM_MCP_AGENTS_DIR = fileURLToPath(
	new URL('../fixtures/npm-mcp-agents', import.meta.url),
);

/**
 * The npm cache every test run shares (in the system's temp directory): the
 * fixtures' build steps install from it without asking the registry once it
 * holds their packages (`prefer-offline`), so a second run is fast and works
 * offline.
 */
export const NPM_TEST_CACHE_DIR = join(tmpdir(), 'agentspace-test-npm-cache');

/** What {@link createNpmMcpAgentRepo} changes in the fixture. */
export interface NpmMcpAgentRepoOptions {
	/** Arguments appended to the fixture's entrypoint (e.g. server-filesystem's directories). */
	readonly args?: readonly string[];
	/** The manifest's permissions; none by default. */
	readonly permissions?: readonly string[];
}

/** The fixture's manifest, as committed. */
export function npmMcpAgentManifest(name: NpmMcpAgentName): Record<string, unknown> {
	return JSON.parse(
		readFileSync(join(NPM_MCP_AGENTS_DIR, name, 'agentspace.agent.json'), 'utf8'),
	) as Record<string, unknown>;
}

/**
 * A git repository of a published MCP server packaged as an agent (tagged
 * `v1`): its `package.json` (the server pinned), its manifest (build step
 * `npm install`, entrypoint the server's stdio entry in `node_modules`, with
 * `args` appended and `permissions` set) and an `.npmrc` that points npm at
 * {@link NPM_TEST_CACHE_DIR} with `prefer-offline` (a test's setting, not the
 * agent's: the build's HOME is new for every home). The caller cleans it up.
 */
export function createNpmMcpAgentRepo(
	name: NpmMcpAgentName,
	options: NpmMcpAgentRepoOptions = {},
): GitRepo {
	const manifest = npmMcpAgentManifest(name);
	const entrypoint = manifest.entrypoint as { command: string; args?: string[] };
	const repo = createGitRepo(name);
	repo.commit(
		{
			'agentspace.agent.json': {
				...manifest,
				entrypoint: { ...entrypoint, args: [...(entrypoint.args ?? []), ...(options.args ?? [])] },
				permissions: [...(options.permissions ?? [])],
			},
			'package.json': readFileSync(join(NPM_MCP_AGENTS_DIR, name, 'package.json'), 'utf8'),
			'.npmrc': [
				`cache=${NPM_TEST_CACHE_DIR}`,
				'prefer-offline=true',
				'update-notifier=false',
				'',
			].join('\n'),
			'.gitignore': 'node_modules/\npackage-lock.json\n',
		},
		`${name} as an MCP agent`,
	);
	repo.tag('v1');
	return repo;
}

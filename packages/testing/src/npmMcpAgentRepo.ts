import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GitRepo } from './gitRepo.js';
import { createNpmAgentRepo } from './npmAgentRepo.js';

// The shared npm cache is defined with the repo-making code both npm fixtures use.
export { NPM_TEST_CACHE_DIR } from './npmAgentRepo.js';

/** The published MCP servers packaged as agents under `fixtures/npm-mcp-agents/`. */
export type NpmMcpAgentName = 'server-everything' | 'server-filesystem';

/** The directory of the npm-installed MCP agent fixtures (`fixtures/npm-mcp-agents`). */
export const NPM_MCP_AGENTS_DIR = fileURLToPath(
	new URL('../fixtures/npm-mcp-agents', import.meta.url),
);

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
 * the shared test cache with `prefer-offline` (see {@link createNpmAgentRepo}).
 * The caller cleans it up.
 */
export function createNpmMcpAgentRepo(
	name: NpmMcpAgentName,
	options: NpmMcpAgentRepoOptions = {},
): GitRepo {
	return createNpmAgentRepo({
		name,
		manifest: npmMcpAgentManifest(name),
		...(options.args === undefined ? {} : { args: options.args }),
		permissions: options.permissions ?? [],
		files: { 'package.json': readFileSync(join(NPM_MCP_AGENTS_DIR, name, 'package.json'), 'utf8') },
		message: `${name} as an MCP agent`,
	});
}

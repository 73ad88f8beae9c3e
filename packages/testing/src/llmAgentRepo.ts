import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GitRepo } from './gitRepo.js';
import { createNpmAgentRepo } from './npmAgentRepo.js';

/** The LLM fixture agents under `fixtures/llm-agents/`: which official client each uses. */
export type LlmAgentClient = 'anthropic' | 'openai';

/** The directory of the LLM fixture agents (`fixtures/llm-agents`). */
export const LLM_AGENTS_DIR = fileURLToPath(new URL('../fixtures/llm-agents', import.meta.url));

/** What {@link createLlmAgentRepo} changes in the fixture. */
export interface LlmAgentRepoOptions {
	/** The agent's id (and name); the fixture's (`llm-anthropic`, `llm-openai`) by default. */
	readonly id?: string;
	/**
	 * Arguments after `agent.mjs`: `--calls a,b` (anthropic: `message`, `stream`;
	 * openai: `chat`, `chat-stream`, `responses`, `responses-stream`),
	 * `--probe <path>` (repeatable), `--token-file`, `--no-retries`, `--stay`,
	 * `--model`, `--prompt`.
	 */
	readonly args?: readonly string[];
	/** The manifest's permissions; the fixture's (`llm:<client>`) by default. */
	readonly permissions?: readonly string[];
}

/** The fixture's manifest, as committed. */
export function llmAgentManifest(client: LlmAgentClient): Record<string, unknown> {
	return JSON.parse(
		readFileSync(join(LLM_AGENTS_DIR, `${client}-agent`, 'agentspace.agent.json'), 'utf8'),
	) as Record<string, unknown>;
}

/**
 * A git repository of an LLM fixture agent (tagged `v1`): its `package.json`
 * (the official client pinned), its manifest (build step `npm install`,
 * entrypoint `node agent.mjs <args>`), `agent.mjs` and the `report.mjs` both
 * agents share, and an `.npmrc` pointing npm at the shared test npm cache
 * with `prefer-offline` (a test's setting, as for the npm MCP agents). The
 * caller cleans it up.
 */
export function createLlmAgentRepo(
	client: LlmAgentClient,
	options: LlmAgentRepoOptions = {},
): GitRepo {
	const manifest = llmAgentManifest(client);
	const dir = join(LLM_AGENTS_DIR, `${client}-agent`);
	const id = options.id ?? (manifest.id as string);
	return createNpmAgentRepo({
		name: id,
		manifest: { ...manifest, id, name: options.id ?? manifest.name },
		...(options.args === undefined ? {} : { args: options.args }),
		permissions: options.permissions ?? (manifest.permissions as string[]),
		files: {
			'package.json': readFileSync(join(dir, 'package.json'), 'utf8'),
			'agent.mjs': readFileSync(join(dir, 'agent.mjs'), 'utf8'),
			'report.mjs': readFileSync(join(LLM_AGENTS_DIR, 'shared', 'report.mjs'), 'utf8'),
		},
		message: `${id}: an LLM fixture agent (${client})`,
	});
}

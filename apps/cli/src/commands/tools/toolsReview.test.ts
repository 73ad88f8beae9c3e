// What the CLI shows of an agent's text and its tools, against the real
// registry of a real home database: an agent run by the real supervisor
// (unsandboxed: no MCP session is needed for what is checked here) whose tool
// list is recorded with the registry's recordToolList, as the daemon's tools
// service does for a live MCP session. The built binary reads the database.
import { getAgent } from '@agentspace/agents';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import {
	isToolDefinitionProblem,
	recordToolList,
	type ToolDefinition,
	toolDefinitionOf,
} from '@agentspace/tools';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../testCli.js';

let agent: AgentScenario;
let runId: string;

function tool(raw: Record<string, unknown>): ToolDefinition {
	const definition = toolDefinitionOf({ inputSchema: { type: 'object' }, ...raw });
	if (isToolDefinitionProblem(definition)) throw new Error(definition.problem);
	return definition;
}

/** Records what the agent's (pretend) MCP session lists now. */
function offer(...tools: ToolDefinition[]): void {
	recordToolList(agent.db, { agentId: 'echo-agent', runId, tools });
}

beforeEach(async () => {
	agent = await agentScenario({
		label: 'cli-tools-review',
		// The manifest's name is the agent's own text, shown by agents list/info.
		agent: { manifest: { name: 'Echo \u202egnp.exe\u202c' }, args: ['--every', '100'] },
		until: 'running',
	});
	runId = getAgent(agent.db, 'echo-agent')?.currentRunId as string;
});
afterEach(async () => {
	await agent.cleanup();
});

describe('agent text on the terminal', () => {
	it('shows text-direction controls and invisible format characters escaped, not obeyed (Trojan Source)', () => {
		// Reads "Reads a file." on screen; is something else.
		offer(
			tool({
				name: 'read_file',
				title: 'Read\u200b file',
				description: 'Reads a file.\u2066 \u202eeteled dna\u2069 Safe\u200e.',
			}),
		);
		const list = runCli(agent.home, ['tools', 'list']);
		expect(list.status, list.stderr).toBe(0);
		expect(list.stdout).toContain(
			'Reads a file.\\u{2066} \\u{202e}eteled dna\\u{2069} Safe\\u{200e}.',
		);
		const show = runCli(agent.home, ['tools', 'show', 'echo-agent/read_file']);
		expect(show.status, show.stderr).toBe(0);
		expect(show.stdout).toContain('\\u{202e}eteled dna\\u{2069}');
		expect(show.stdout).toContain('Read\\u{200b} file');
		for (const out of [list.stdout, show.stdout])
			expect(out).not.toMatch(/[\u200b\u200e\u202e\u2066\u2069]/);

		const agents = runCli(agent.home, ['agents', 'list']);
		expect(agents.status, agents.stderr).toBe(0);
		expect(agents.stdout).toContain('Echo \\u{202e}gnp.exe\\u{202c}');
		const info = runCli(agent.home, ['agents', 'info', 'echo-agent']);
		expect(info.status, info.stderr).toBe(0);
		expect(info.stdout).toContain('Echo \\u{202e}gnp.exe\\u{202c}');
		for (const out of [agents.stdout, info.stdout]) expect(out).not.toMatch(/[\u202c\u202e]/);

		// An error line naming the agent's text escapes it too.
		const missing = runCli(agent.home, ['tools', 'show', 'echo-agent/\u202eevil']);
		expect(missing.status).not.toBe(0);
		expect(missing.stderr).toContain('\\u{202e}evil');
		expect(missing.stderr).not.toMatch(/\u202e/);
	});
});

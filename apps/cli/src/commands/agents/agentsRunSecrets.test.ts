// `agents run --foreground` passes an approved `secret:read:` secret from the
// home's vault (no daemon involved), as AGENTSPACE_SECRET_<NAME>, its value
// redacted from the echoed output; a secret not in the vault is not passed.
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { openVault, setSecret } from '@agentspace/keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../../testCli.js';

const VALUE = 'the-secret-value-0123456789';
let agent: AgentScenario;
beforeEach(async () => {
	agent = await agentScenario({
		label: 'agents-run-secrets',
		agent: {
			manifest: { id: 'keeper', name: 'Keeper' },
			args: ['--print-env'],
			permissions: ['secret:read:API_TOKEN', 'secret:read:NOT_SET'],
		},
		until: 'installed',
	});
});
afterEach(async () => {
	await agent.cleanup();
});

describe('agents run --foreground with secret:read:', () => {
	it('passes the approved secret from the vault, redacted in the output; a missing one is not passed', async () => {
		expect(runCli(agent.home, ['agents', 'enable', 'keeper', '--all']).status).toBe(0);
		const vault = await openVault({ home: agent.home });
		await setSecret(agent.db, vault, { name: 'API_TOKEN', value: VALUE, actor: agent.actor });
		const running = spawnCli(agent.home, [
			'agents',
			'run',
			'keeper',
			'--foreground',
			'--unsandboxed',
		]);
		await running.waitForStdout(/env \{.*\}/, 15_000);
		running.child.kill('SIGINT');
		await running.exited;
		const line = /env (\{.*\})/.exec(running.stdout())?.[1] ?? '{}';
		const env = JSON.parse(line) as Record<string, string>;
		expect(Object.keys(env)).toContain('AGENTSPACE_SECRET_API_TOKEN');
		expect(Object.keys(env)).not.toContain('AGENTSPACE_SECRET_NOT_SET');
		expect(running.stdout()).not.toContain(VALUE);
	});
});

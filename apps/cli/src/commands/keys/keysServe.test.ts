// `agentspace keys serve`, `keys pending`, `keys approve` and the LLM
// endpoint's line in `daemon status`, end to end with the built CLI: a real
// daemon started by `keys serve` on the home's configured port, and the
// same with that port held by another process (failed, the daemon serves on).
import { createServer, type Server } from 'node:net';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { addProviderKey, openVault } from '@agentspace/keys';
import { type StandInProvider, startStandInProvider } from '@agentspace/keys/testing';
import { createTempHome, freePort, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';

interface EndpointStatus {
	state: string;
	url: string;
	port: number;
	socketPath: string;
	reason?: string;
	requests: number;
	pending: number;
}

let temp: TempHome;
let blocker: Server | undefined;

beforeEach(() => {
	temp = createTempHome('cli-keys-serve');
});
afterEach(async () => {
	runCli(temp.home, ['daemon', 'stop']);
	await new Promise((resolve) =>
		blocker === undefined ? resolve(undefined) : blocker.close(resolve),
	);
	blocker = undefined;
	temp.cleanup();
});

const setPort = (port: number) => {
	const set = runCli(temp.home, ['config', 'set', 'apiEndpoint.port', String(port)]);
	expect(set.status, set.stderr).toBe(0);
};

describe('agentspace keys serve', () => {
	it('starts the daemon, which serves the configured port; daemon status shows it; nothing is pending', async () => {
		const port = await freePort();
		setPort(port);
		const served = runCliJson<EndpointStatus>(temp.home, ['keys', 'serve']);
		expect(served.status, served.stderr).toBe(0);
		expect(served.json).toMatchObject({ state: 'serving', url: `http://127.0.0.1:${port}`, port });
		const human = runCli(temp.home, ['keys', 'serve'], { NO_COLOR: '1' });
		expect(human.stdout).toContain(`AgentSpace LLM endpoint: http://127.0.0.1:${port} (serving)`);
		expect(human.stdout).toContain(`ANTHROPIC_BASE_URL=http://127.0.0.1:${port}/anthropic`);

		const status = runCli(temp.home, ['daemon', 'status'], { NO_COLOR: '1' });
		expect(status.stdout).toContain(`LLM:    http://127.0.0.1:${port} (serving, 0 requests)`);
		const json = runCliJson<{ llmEndpoint: EndpointStatus }>(temp.home, ['daemon', 'status']);
		expect(json.json.llmEndpoint).toMatchObject({ state: 'serving', port });

		const pending = runCliJson<{ pending: unknown[] }>(temp.home, ['keys', 'pending']);
		expect(pending.json).toEqual({ pending: [] });
		expect(runCli(temp.home, ['keys', 'pending'], { NO_COLOR: '1' }).stdout).toContain(
			'Nothing is waiting for approval.',
		);
		const approve = runCli(temp.home, ['keys', 'approve', 'writer', 'anthropic']);
		expect(approve.status).toBe(3);
		expect(approve.stderr).toContain('error[NOT_FOUND]');
		expect(approve.stderr).toContain('agentspace keys pending');
		const badProvider = runCli(temp.home, ['keys', 'approve', 'writer', 'gemini']);
		expect(badProvider.status).toBe(7);
		expect(badProvider.stderr).toContain('error[VALIDATION_FAILED]');
	});

	it('says the port is in use, with what to do; the daemon keeps answering', async () => {
		const port = await freePort();
		blocker = createServer();
		await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
		setPort(port);
		const served = runCliJson<EndpointStatus>(temp.home, ['keys', 'serve']);
		expect(served.status, served.stderr).toBe(0);
		expect(served.json.state).toBe('failed');
		expect(served.json.reason).toContain(`port ${port} is in use`);
		const human = runCli(temp.home, ['keys', 'serve'], { NO_COLOR: '1' });
		expect(human.stdout).toContain('The LLM endpoint is not serving');
		expect(human.stdout).toContain('agentspace config set apiEndpoint.port');
		const status = runCli(temp.home, ['daemon', 'status'], { NO_COLOR: '1' });
		expect(status.status).toBe(0);
		expect(status.stdout).toContain(
			`LLM:    http://127.0.0.1:${port} failed: port ${port} is in use`,
		);
	});

	it('keys pending and keys approve without a daemon: nothing waits, and approve says so', () => {
		expect(runCliJson(temp.home, ['keys', 'pending']).json).toEqual({ pending: [] });
		const approve = runCli(temp.home, ['keys', 'approve', 'writer', 'anthropic']);
		expect(approve.stderr).toContain('error[NOT_FOUND]');
		expect(approve.stderr).toContain('daemon is not running');
	});
});

// An agent that asks the endpoint once, with what its run was given, and prints the answer's status.
const ASKING_AGENT = `
const res = await fetch(process.env.ANTHROPIC_BASE_URL + '/v1/messages', {
	method: 'POST',
	headers: {
		'content-type': 'application/json',
		'anthropic-version': '2023-06-01',
		'x-api-key': process.env.ANTHROPIC_API_KEY,
	},
	body: JSON.stringify({ model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
});
console.log('status ' + res.status);
setInterval(() => {}, 60000);
`;

describe('agentspace keys pending / approve with a waiting run', () => {
	let agent: AgentScenario;
	let standIn: StandInProvider;
	afterEach(async () => {
		runCli(agent.home, ['daemon', 'stop']);
		await agent.cleanup();
		await standIn.close();
	});

	it("lists the run's first use and lets it through on approve; --deny refuses the next run's", async () => {
		agent = await agentScenario({
			label: 'cli-keys-approve',
			agent: {
				manifest: { id: 'asker', name: 'Asker' },
				script: ASKING_AGENT,
				permissions: ['llm:anthropic'],
			},
			until: 'installed',
		});
		standIn = await startStandInProvider();
		await addProviderKey(agent.db, await openVault({ home: agent.home }), {
			provider: 'anthropic',
			value: 'sk-ant-real-key-for-the-cli-test',
			baseUrl: standIn.url,
			actor: agent.actor,
		});
		runCli(agent.home, ['config', 'set', 'apiEndpoint.port', String(await freePort())]);
		expect(runCli(agent.home, ['agents', 'enable', 'asker', '--all']).status).toBe(0);

		const askAndAnswer = async (deny: boolean) => {
			const run = runCli(agent.home, ['agents', 'run', 'asker', '--unsandboxed']);
			expect(run.status, run.stderr).toBe(0);
			let pending: { agentId: string; provider: string; runId: string }[] = [];
			for (let i = 0; i < 200 && pending.length === 0; i++) {
				pending = runCliJson<{ pending: typeof pending }>(agent.home, ['keys', 'pending']).json
					.pending;
				if (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
			}
			expect(pending).toMatchObject([{ agentId: 'asker', provider: 'anthropic' }]);
			expect(runCli(agent.home, ['keys', 'pending'], { NO_COLOR: '1' }).stdout).toContain(
				'answer: agentspace keys approve asker anthropic',
			);
			const answer = runCliJson<{ decision: string; runs: string[] }>(agent.home, [
				'keys',
				'approve',
				'asker',
				'anthropic',
				...(deny ? ['--deny'] : []),
			]);
			expect(answer.status, answer.stderr).toBe(0);
			expect(answer.json).toMatchObject({
				decision: deny ? 'denied' : 'approved',
				runs: [pending[0]?.runId],
			});
			let logs = '';
			for (let i = 0; i < 200 && !/status \d+/.test(logs); i++) {
				logs = runCli(agent.home, ['agents', 'logs', 'asker']).stdout;
				if (!/status \d+/.test(logs)) await new Promise((resolve) => setTimeout(resolve, 50));
			}
			expect(runCli(agent.home, ['agents', 'stop', 'asker']).status).toBe(0);
			return /status (\d+)/.exec(logs)?.[1];
		};
		expect(await askAndAnswer(false)).toBe('200');
		expect(standIn.requests).toHaveLength(1);
		expect(await askAndAnswer(true)).toBe('403');
		expect(standIn.requests).toHaveLength(1);
	});
});

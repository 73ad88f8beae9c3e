// `agentspace keys serve`, `keys pending`, `keys approve` and the LLM
// endpoint's line in `daemon status`, end to end with the built CLI: a real
// daemon started by `keys serve` on the home's configured port, and the
// same with that port held by another process (failed, the daemon serves on).
import { createServer, type Server } from 'node:net';
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
		expect(approve.status).not.toBe(0);
		expect(approve.stderr).toContain('error[NOT_FOUND]');
		expect(approve.stderr).toContain('agentspace keys pending');
		const badProvider = runCli(temp.home, ['keys', 'approve', 'writer', 'gemini']);
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

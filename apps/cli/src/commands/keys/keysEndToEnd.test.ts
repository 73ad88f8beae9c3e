// Issue 15 end to end: provider keys that sandboxed agents use without seeing
// them. A real daemon, the real CLI, the real bubblewrap sandbox, agents that
// call through the official clients (@anthropic-ai/sdk, openai: the
// fixtures/llm-agents, built with npm install), and local stand-ins that speak
// each provider's wire format as the providers (`keys add <provider>
// --base-url http://127.0.0.1:<stand-in>`): no provider is reachable here.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { agentPaths, parseLogLines, runLogPath, sandboxReadiness } from '@agentspace/agents';
import {
	type StandInProvider,
	startStandInProvider,
	STAND_IN_USAGE as USAGE,
} from '@agentspace/keys/testing';
import {
	createLlmAgentRepo,
	createTempHome,
	freePort,
	type GitRepo,
	type LlmAgentClient,
	runNode,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, runCliJson } from '../../testCli.js';

// Needs the OS sandbox: skipped where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

// Values nobody could guess, so finding one anywhere means it leaked.
const ANTHROPIC_KEY = `sk-ant-api03-e2e${randomBytes(24).toString('hex')}`;
const OPENAI_KEY = `sk-proj-e2e${randomBytes(24).toString('hex')}`;
const SECRET_VALUE = `deploy-${randomBytes(20).toString('hex')}`;
const SECRET_NAME = 'deploy-token';
const SECRET_VARIABLE = 'AGENTSPACE_SECRET_DEPLOY_TOKEN';
// The stand-ins' answer, one streamed chunk a word.
const WORDS = ['Hello', ' from', ' the', ' stand-in'];

let temp: TempHome;
let port: number;
let anthropic: StandInProvider;
let openai: StandInProvider;
const repos: GitRepo[] = [];

/** One line an LLM fixture agent printed: `<tag> <JSON>`. */
interface AgentLine {
	readonly tag: string;
	// biome-ignore lint/suspicious/noExplicitAny: the fixture's JSON, checked field by field
	readonly data: any;
}

interface CallLine {
	name: string;
	ok: boolean;
	text?: string;
	chunks?: number;
	usage?: Record<string, number>;
	error?: { status: number | null; message: string; retryAfter: string | null };
}

function daemonLog(): string {
	const log = join(temp.home, 'logs', 'daemon.log');
	return existsSync(log) ? readFileSync(log, 'utf8') : '';
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline)
			throw new Error(`gave up waiting for ${what}; daemon log:\n${daemonLog().slice(-4000)}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function cli(args: string[], input?: string): string {
	const result =
		input === undefined
			? runCli(temp.home, args)
			: runNode(CLI_BIN, ['--home', temp.home, ...args], { input });
	expect(result.status, `agentspace ${args.join(' ')}: ${result.stderr}`).toBe(0);
	return result.stdout;
}

function cliJson<T>(args: string[]): T {
	const result = runCliJson<T>(temp.home, args);
	expect(result.status, `agentspace ${args.join(' ')}: ${result.stderr}`).toBe(0);
	return result.json;
}

/** Installs an LLM fixture agent as `id`, builds it (npm install from the shared cache) and enables it. */
function installAgent(
	client: LlmAgentClient,
	id: string,
	args: string[],
	options: { permissions?: string[]; enable?: string[] } = {},
): void {
	const repo = createLlmAgentRepo(client, {
		id,
		args,
		...(options.permissions === undefined ? {} : { permissions: options.permissions }),
	});
	repos.push(repo);
	cli(['agents', 'install', repo.url]);
	cli(['agents', 'build', id, '--yes']);
	cli(['agents', 'enable', id, ...(options.enable ?? ['--all', '--remember'])]);
}

/** Starts a run of `id` in the daemon; its run id. The run must be sandboxed. */
function runAgent(id: string): string {
	const run = cliJson<{ runId: string; sandboxed: boolean }>(['agents', 'run', id]);
	expect(run.sandboxed, `${id} runs sandboxed`).toBe(true);
	return run.runId;
}

/** The raw text of a run's log (its current file). */
function rawLog(id: string, runId: string): string {
	const path = runLogPath(temp.home, id, runId);
	return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The fixture's tagged lines the run printed so far. */
function agentLines(id: string, runId: string): AgentLine[] {
	return parseLogLines(rawLog(id, runId))
		.filter((entry) => entry.stream === 'stdout')
		.flatMap((entry) => {
			const space = entry.text.indexOf(' ');
			const tag = space === -1 ? entry.text : entry.text.slice(0, space);
			if (space === -1) return [{ tag, data: undefined }];
			try {
				return [{ tag, data: JSON.parse(entry.text.slice(space + 1)) }];
			} catch {
				return [];
			}
		});
}

function calls(id: string, runId: string): CallLine[] {
	return agentLines(id, runId)
		.filter((line) => line.tag === 'call')
		.map((line) => line.data as CallLine);
}

/** Whether `id` has a run going (agents status). */
function isRunning(id: string): boolean {
	return cliJson<{ agents: { id: string; status: string }[] }>(['agents', 'status']).agents.some(
		(agent) => agent.id === id && agent.status === 'running',
	);
}

/** Waits for the run of `id` to print `done` and exit (the fixture exits unless --stay). */
async function untilDone(id: string, runId: string): Promise<void> {
	await until(
		() => agentLines(id, runId).some((line) => line.tag === 'done'),
		`${id} to finish its calls`,
	);
	await until(() => !isRunning(id), `the run of ${id} to end`);
}

async function runToDone(id: string): Promise<{ runId: string; calls: CallLine[] }> {
	const runId = runAgent(id);
	await untilDone(id, runId);
	return { runId, calls: calls(id, runId) };
}

/** The session token the run of `id` wrote to its HOME (--token-file): its log hides it. */
function runToken(id: string): string {
	return readFileSync(join(agentPaths(temp.home, id).data, 'home', 'session-token'), 'utf8');
}

function fingerprint(value: string): string {
	return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

/** Every file under `dir` (symbolic links not followed), relative paths. */
function filesUnder(dir: string, prefix = ''): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const relative = join(prefix, entry.name);
		if (entry.isDirectory()) return filesUnder(join(dir, entry.name), relative);
		return entry.isFile() ? [relative] : [];
	});
}

interface AuditEntry {
	type: string;
	severity: string;
	actor: { type: string; id: string };
	subject: { type: string; id: string } | null;
	metadata: Record<string, unknown>;
}

function auditOf(type: string): AuditEntry[] {
	return cliJson<{ entries: AuditEntry[] }>(['audit', 'list', '--type', type, '--limit', '1000'])
		.entries;
}

/** A request straight to the daemon's endpoint, as a client outside any run would make it. */
async function endpoint(
	path: string,
	credential: string | undefined,
	body: unknown,
): Promise<{ status: number; headers: Headers; text: string }> {
	const response = await fetch(`http://127.0.0.1:${port}${path}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'anthropic-version': '2023-06-01',
			...(credential === undefined ? {} : { 'x-api-key': credential }),
		},
		body: JSON.stringify(body),
	});
	return { status: response.status, headers: response.headers, text: await response.text() };
}

const MESSAGE = {
	model: 'claude-sonnet-4-5',
	max_tokens: 16,
	messages: [{ role: 'user', content: 'hi' }],
};

describe.skipIf(!sandbox.run)(
	'provider keys end to end: sandboxed agents, the official clients',
	// Each check waits on real runs (start, sandbox, the SDK's import): room on a busy machine.
	{ timeout: 120_000 },
	() => {
		beforeAll(async () => {
			temp = createTempHome('cli-keys-e2e');
			port = await freePort();
			anthropic = await startStandInProvider({ holdChunks: true, words: WORDS });
			openai = await startStandInProvider({ words: WORDS });
			cli(['config', 'set', 'apiEndpoint.port', String(port)]);
			cli(['keys', 'add', 'anthropic', '--base-url', anthropic.url], `${ANTHROPIC_KEY}\n`);
			cli(['keys', 'add', 'openai', '--base-url', openai.url], `${OPENAI_KEY}\n`);
			cli(['secrets', 'set', SECRET_NAME], `${SECRET_VALUE}\n`);
			const probes = ['--probe', join(temp.home, 'vault.json'), '--probe', temp.home];
			installAgent(
				'anthropic',
				'llm-anthropic',
				['--calls', 'message,stream', '--token-file', '--stay', ...probes],
				{ permissions: ['llm:anthropic', `secret:read:${SECRET_NAME}`] },
			);
			installAgent('openai', 'llm-openai', [
				'--calls',
				'chat,chat-stream,responses,responses-stream',
				...probes,
			]);
			cli(['daemon', 'start']);
			await until(
				() => cliJson<{ state: string }>(['keys', 'serve']).state === 'serving',
				'the LLM endpoint',
			);
		}, 600_000);

		afterAll(async () => {
			runCli(temp.home, ['agents', 'stop', '--all']);
			runCli(temp.home, ['daemon', 'stop', '--timeout', '5']);
			await anthropic?.close();
			await openai?.close();
			for (const repo of repos) repo.cleanup();
			temp.cleanup();
			// Stopping sandboxed agents and the daemon takes seconds on a loaded machine.
		}, 120_000);

		let anthropicRun: string;

		it('a sandboxed agent with llm:anthropic gets its answers through the endpoint, streamed chunk by chunk', async () => {
			// The stand-in writes the stream's start, then holds each later chunk until
			// released; the test releases one only after the agent has reported the
			// text of the one before in its log. Each chunk was in the agent's hands
			// before the next left the provider: a handshake, not timing.
			anthropicRun = runAgent('llm-anthropic');
			const streamed = () =>
				agentLines('llm-anthropic', anthropicRun).filter(
					(line) => line.tag === 'chunk' && line.data.name === 'stream',
				);
			await anthropic.chunkWritten(0);
			for (let index = 1; index <= WORDS.length; index++) {
				let next = false;
				void anthropic.chunkWritten(index + 1).then(() => {
					next = true;
				});
				anthropic.release();
				await until(() => streamed().length === index, `streamed chunk ${index} in the agent`);
				expect(
					next,
					`chunk ${index + 1} left the stand-in before chunk ${index} reached the agent`,
				).toBe(false);
				expect(streamed()[index - 1]?.data.text).toBe(WORDS[index - 1]);
			}
			anthropic.release(); // the stream's end (content_block_stop, message_delta with usage, message_stop)
			await until(
				() => agentLines('llm-anthropic', anthropicRun).some((line) => line.tag === 'done'),
				'the agent to finish its calls',
			);
			const [message, stream] = calls('llm-anthropic', anthropicRun);
			expect(message).toMatchObject({
				name: 'message',
				ok: true,
				text: WORDS.join(''),
				usage: {
					input_tokens: USAGE.anthropic.inputTokens,
					output_tokens: USAGE.anthropic.outputTokens,
				},
			});
			expect(stream).toMatchObject({
				name: 'stream',
				ok: true,
				text: WORDS.join(''),
				chunks: WORDS.length,
				usage: {
					input_tokens: USAGE.anthropic.inputTokens,
					output_tokens: USAGE.anthropic.outputTokens,
				},
			});
		});

		it('the stand-in received the real key, never the run token; the agent never had the key', () => {
			const token = runToken('llm-anthropic');
			expect(token.length).toBeGreaterThan(16);
			const received = anthropic.requests;
			expect(received.length).toBeGreaterThanOrEqual(2);
			for (const request of received) {
				expect(request.headers['x-api-key']).toBe(ANTHROPIC_KEY);
				expect(request.headers.authorization).toBeUndefined();
				expect(JSON.stringify(request), 'the run token reached the provider').not.toContain(token);
			}
			const lines = agentLines('llm-anthropic', anthropicRun);
			const env = lines.find((line) => line.tag === 'env')?.data as Record<string, string>;
			expect(env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${port}/anthropic`);
			expect(env.AGENTSPACE_LLM_URL).toBe(`http://127.0.0.1:${port}`);
			expect(JSON.stringify(env)).not.toContain(ANTHROPIC_KEY);
			expect(JSON.stringify(env)).not.toContain(OPENAI_KEY);
			// Everything it found hunting for the key: its env, /proc environ, the home's vault.json, the home.
			const probes = lines.filter((line) => line.tag === 'probe').map((line) => line.data);
			const vault = probes.find((probe) => probe.path === join(temp.home, 'vault.json'));
			expect(vault?.read, 'the agent read the vault file').toBeUndefined();
			expect(vault?.error).toBeTruthy();
			// Inside the sandbox the home is at most the empty directories leading to the agent's own.
			const home = probes.find((probe) => probe.path === temp.home);
			expect(home?.dir ?? []).not.toContain('vault.json');
			expect(home?.dir ?? []).not.toContain('agentspace.db');
			const log = rawLog('llm-anthropic', anthropicRun);
			expect(log).not.toContain(ANTHROPIC_KEY);
			expect(log).not.toContain(OPENAI_KEY);
		});

		it('an approved secret reaches the agent as AGENTSPACE_SECRET_<NAME>, and not its log', () => {
			const secret = agentLines('llm-anthropic', anthropicRun).find(
				(line) => line.tag === 'secret',
			);
			expect(secret?.data).toEqual({
				name: SECRET_VARIABLE,
				fingerprint: fingerprint(SECRET_VALUE),
			});
			// The agent printed its whole environment, the secret's value with it: the log hid it.
			const env = agentLines('llm-anthropic', anthropicRun).find(
				(line) => line.tag === 'env',
			)?.data;
			expect(env[SECRET_VARIABLE]).toBeTruthy();
			expect(env[SECRET_VARIABLE]).not.toBe(SECRET_VALUE);
			expect(rawLog('llm-anthropic', anthropicRun)).not.toContain(SECRET_VALUE);
		});

		it('the calls are audited key_accessed and summed by keys usage', () => {
			const accessed = auditOf('key_accessed').filter(
				(entry) => entry.metadata.runId === anthropicRun,
			);
			expect(accessed).toHaveLength(2);
			for (const entry of accessed) {
				expect(entry.actor).toEqual({ type: 'agent', id: 'llm-anthropic' });
				expect(entry.subject).toEqual({ type: 'provider', id: 'anthropic' });
				expect(entry.metadata).toMatchObject({ provider: 'anthropic', status: 200 });
			}
			expect(accessed.map((entry) => entry.metadata.stream).sort()).toEqual([false, true]);
			const usage = cliJson<{
				rows: {
					agentId: string | null;
					provider: string;
					requests: number;
					inputTokens: number;
					outputTokens: number;
				}[];
			}>(['keys', 'usage', '--agent', 'llm-anthropic', '--provider', 'anthropic']);
			const [row] = usage.rows;
			const [message, stream] = calls('llm-anthropic', anthropicRun);
			expect(row).toMatchObject({ agentId: 'llm-anthropic', provider: 'anthropic', requests: 2 });
			expect(row?.inputTokens).toBe(
				(message?.usage?.input_tokens ?? 0) + (stream?.usage?.input_tokens ?? 0),
			);
			expect(row?.outputTokens).toBe(
				(message?.usage?.output_tokens ?? 0) + (stream?.usage?.output_tokens ?? 0),
			);
		});

		it("a stopped run's token is refused (401), audited auth_failed", async () => {
			const token = runToken('llm-anthropic');
			// While the run lives, its token works from outside the sandbox too (the endpoint is on loopback).
			expect((await endpoint('/anthropic/v1/messages', token, MESSAGE)).status).toBe(200);
			cli(['agents', 'stop', 'llm-anthropic']);
			const refused = await endpoint('/anthropic/v1/messages', token, MESSAGE);
			expect(refused.status).toBe(401);
			expect(JSON.parse(refused.text).error.message).toMatch(/agentspace/i);
			const failed = auditOf('auth_failed');
			expect(failed).toEqual([
				expect.objectContaining({
					severity: 'security',
					metadata: expect.objectContaining({
						provider: 'anthropic',
						kind: expect.stringMatching(/^(ended-run|wrong-token)$/),
						interface: 'llm-endpoint',
					}),
				}),
			]);
			expect(JSON.stringify(failed)).not.toContain(token);
		});

		it("a user's minted token works until revoked (then 401)", async () => {
			const minted = cliJson<{ tokenId: string; token: string }>([
				'keys',
				'token',
				'--name',
				'e2e-notebook',
				'--expires',
				'1h',
			]);
			const answered = await endpoint('/anthropic/v1/messages', minted.token, MESSAGE);
			expect(answered.status).toBe(200);
			expect(JSON.parse(answered.text).content[0].text).toBe(WORDS.join(''));
			const accessed = auditOf('key_accessed').filter(
				(entry) => entry.metadata.mintedId === minted.tokenId,
			);
			expect(accessed).toEqual([
				expect.objectContaining({ actor: { type: 'human', id: 'e2e-notebook' } }),
			]);
			cli(['keys', 'token', 'revoke', minted.tokenId]);
			const refused = await endpoint('/anthropic/v1/messages', minted.token, MESSAGE);
			expect(refused.status).toBe(401);
			expect(anthropic.requests.at(-1)?.headers['x-api-key']).toBe(ANTHROPIC_KEY);
			expect(JSON.stringify(anthropic.requests)).not.toContain(minted.token);
		});

		it('the openai client through the same path: chat completions (streamed with usage) and responses', async () => {
			const { runId, calls: made } = await runToDone('llm-openai');
			expect(made.map((call) => [call.name, call.ok, call.error?.message])).toEqual([
				['chat', true, undefined],
				['chat-stream', true, undefined],
				['responses', true, undefined],
				['responses-stream', true, undefined],
			]);
			const chat = USAGE['openai-chat'];
			const responses = USAGE['openai-responses'];
			for (const call of made) expect(call.text).toBe(WORDS.join(''));
			expect(made[0]?.usage).toMatchObject({
				prompt_tokens: chat.inputTokens,
				completion_tokens: chat.outputTokens,
			});
			expect(made[1]?.usage).toMatchObject({
				prompt_tokens: chat.inputTokens,
				completion_tokens: chat.outputTokens,
			});
			expect(made[1]?.chunks).toBe(WORDS.length);
			expect(made[2]?.usage).toMatchObject({
				input_tokens: responses.inputTokens,
				output_tokens: responses.outputTokens,
			});
			expect(made[3]?.usage).toMatchObject({
				input_tokens: responses.inputTokens,
				output_tokens: responses.outputTokens,
			});
			expect(made[3]?.chunks).toBe(WORDS.length);
			expect(openai.requests.map((request) => request.path)).toEqual([
				'/v1/chat/completions',
				'/v1/chat/completions',
				'/v1/responses',
				'/v1/responses',
			]);
			for (const request of openai.requests) {
				expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
				expect(request.headers['x-api-key']).toBeUndefined();
			}
			// Usage read by the endpoint from each answer, the streamed ones too.
			const accessed = auditOf('key_accessed').filter((entry) => entry.metadata.runId === runId);
			expect(
				accessed
					.map((entry) => [
						entry.metadata.path,
						entry.metadata.stream,
						entry.metadata.inputCount,
						entry.metadata.outputCount,
					])
					.sort(),
			).toEqual(
				[
					['/openai/v1/chat/completions', false, chat.inputTokens, chat.outputTokens],
					['/openai/v1/chat/completions', true, chat.inputTokens, chat.outputTokens],
					['/openai/v1/responses', false, responses.inputTokens, responses.outputTokens],
					['/openai/v1/responses', true, responses.inputTokens, responses.outputTokens],
				].sort(),
			);
			const usage = cliJson<{
				rows: {
					agentId: string | null;
					provider: string;
					requests: number;
					inputTokens: number;
					outputTokens: number;
				}[];
			}>(['keys', 'usage', '--agent', 'llm-openai']);
			expect(usage.rows).toEqual([
				expect.objectContaining({
					agentId: 'llm-openai',
					provider: 'openai',
					requests: 4,
					inputTokens: 2 * (chat.inputTokens + responses.inputTokens),
					outputTokens: 2 * (chat.outputTokens + responses.outputTokens),
				}),
			]);
			expect(rawLog('llm-openai', runId)).not.toContain(OPENAI_KEY);
		});

		it('an agent without llm: approval for the provider is refused (403), and the refusal audited', async () => {
			// Approved for openai only, it calls anthropic with its run token anyway.
			installAgent('anthropic', 'llm-sneaky', ['--calls', 'message', '--no-retries', '--sneak'], {
				permissions: ['llm:openai'],
			});
			const { calls: made } = await runToDone('llm-sneaky');
			expect(made[0]).toMatchObject({ name: 'message', ok: false, error: { status: 403 } });
			expect(made[0]?.error?.message).toMatch(/llm:anthropic/);
			// Recorded by the endpoint (AgentSpace itself), naming the agent and run.
			const denied = auditOf('security.denied').filter(
				(entry) => entry.metadata.agentId === 'llm-sneaky',
			);
			expect(denied).toEqual([
				expect.objectContaining({
					severity: 'security',
					metadata: expect.objectContaining({
						kind: 'llm-not-approved',
						provider: 'anthropic',
						interface: 'llm-endpoint',
					}),
				}),
			]);
			expect(
				auditOf('key_accessed').filter((entry) => entry.actor.id === 'llm-sneaky'),
			).toHaveLength(0);
		});

		it('limited-control: without --remember, the first call waits for keys approve (and --deny refuses)', async () => {
			installAgent('anthropic', 'llm-asking', ['--calls', 'message,message', '--no-retries'], {
				enable: ['--all'],
			});
			const pending = () =>
				cliJson<{ pending: { agentId: string; provider: string; runId: string }[] }>([
					'keys',
					'pending',
				]).pending;
			// Approved: both calls go (the answer holds for the run).
			const approvedRun = runAgent('llm-asking');
			await until(() => pending().some((p) => p.runId === approvedRun), 'the approval request');
			expect(calls('llm-asking', approvedRun)).toEqual([]);
			cli(['keys', 'approve', 'llm-asking', 'anthropic']);
			await untilDone('llm-asking', approvedRun);
			expect(calls('llm-asking', approvedRun).map((call) => call.ok)).toEqual([true, true]);
			// A new run asks again; denied, its calls are refused (403).
			const deniedRun = runAgent('llm-asking');
			await until(() => pending().some((p) => p.runId === deniedRun), 'the second request');
			cli(['keys', 'approve', 'llm-asking', 'anthropic', '--deny']);
			await untilDone('llm-asking', deniedRun);
			const denied = calls('llm-asking', deniedRun);
			expect(denied[0]).toMatchObject({ ok: false, error: { status: 403 } });
			expect(denied[0]?.error?.message).toMatch(/keys approve llm-asking anthropic/);
			const asked = (type: string) =>
				auditOf(type).filter((entry) => JSON.stringify(entry).includes('llm-asking')).length;
			expect(asked('llm_use_requested')).toBe(2);
			expect(asked('llm_use_approved')).toBe(1);
			expect(asked('llm_use_denied')).toBeGreaterThanOrEqual(1);
		});

		it('a limit is hit (429 with Retry-After, audited key_limited) and recovers when raised', async () => {
			installAgent('anthropic', 'llm-limited', [
				'--calls',
				'message,message,message',
				'--no-retries',
			]);
			cli(['keys', 'limit', 'llm-limited', 'anthropic', '--rpm', '2']);
			const first = await runToDone('llm-limited');
			expect(first.calls.map((call) => call.ok)).toEqual([true, true, false]);
			expect(first.calls[2]?.error?.status).toBe(429);
			expect(Number(first.calls[2]?.error?.retryAfter)).toBeGreaterThan(0);
			expect(first.calls[2]?.error?.message).toMatch(/keys limit/);
			expect(
				auditOf('key_limited').filter((entry) => entry.metadata.agentId === 'llm-limited'),
			).toEqual([
				expect.objectContaining({
					severity: 'warning',
					metadata: expect.objectContaining({ provider: 'anthropic', limit: 'rpm' }),
				}),
			]);
			cli(['keys', 'limit', 'llm-limited', 'anthropic', '--rpm', '100']);
			const again = await runToDone('llm-limited');
			expect(again.calls.map((call) => call.ok)).toEqual([true, true, true]);
		});

		it('after the whole run, the key and secret values are on disk only in vault.json (0600)', () => {
			cli(['agents', 'stop', '--all']);
			cli(['daemon', 'stop', '--timeout', '5']);
			const storage = cliJson<{ keys: { provider: string; storage: string }[] }>([
				'keys',
				'list',
			]).keys;
			const inFile = storage.every((key) => key.storage === 'file');
			const holding: Record<string, string[]> = {};
			for (const file of filesUnder(temp.home)) {
				const bytes = readFileSync(join(temp.home, file));
				for (const [label, value] of [
					['anthropic key', ANTHROPIC_KEY],
					['openai key', OPENAI_KEY],
					['secret', SECRET_VALUE],
				] as const) {
					if (bytes.includes(value)) holding[label] = [...(holding[label] ?? []), file];
				}
			}
			const expected = inFile ? ['vault.json'] : undefined;
			expect(holding).toEqual({
				'anthropic key': expected,
				'openai key': expected,
				secret: expected,
			});
			if (inFile) expect(statSync(join(temp.home, 'vault.json')).mode & 0o777).toBe(0o600);
		});
	},
);

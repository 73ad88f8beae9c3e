// A run approved for `llm:` reaches the daemon's LLM endpoint: inside the real
// bubblewrap sandbox through a socat bridge from its own 127.0.0.1:<port> to
// the endpoint's Unix socket (bound in; the agent still cannot open a Unix
// socket itself), with ANTHROPIC_BASE_URL… pointing there and its session
// token as the API key. Its credentials are registered before its first line
// and released after it ends. A run without `llm:` reaches nothing of it.
// Here the "endpoint" is a small HTTP server on a Unix socket at the path the
// daemon uses (`<home>/run/llm.sock`, inside the home the sandbox hides).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import {
	type AddressInfo,
	createServer as createNetServer,
	type Server as NetServer,
} from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GitRepo, sandboxTestGate } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enableAgent } from '../enable/enableAgent.js';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { installRunAgent } from '../testing/installRunAgent.js';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import { superviseAgent } from './superviseAgent.js';
import type { RunCredentials, SuperviseOptions } from './supervision.js';

const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
const actor = { type: 'human', id: 'tester' } as const;
// Any port: inside the sandbox it is the sandbox's own loopback.
const PORT = 3271;

// Says what it sees (never a token: whether the keys are its token), calls
// the endpoint's Anthropic route over TCP, then tries the socket itself.
const AGENT = `
import { connect } from 'node:net';
import { request } from 'node:http';
const e = process.env;
const say = (line) => process.stdout.write(line + '\\n');
const [port, socketPath] = process.argv.slice(2);
say('seen ' + JSON.stringify({
	llmUrl: e.AGENTSPACE_LLM_URL ?? null,
	anthropic: e.ANTHROPIC_BASE_URL ?? null,
	openai: e.OPENAI_BASE_URL ?? null,
	ollama: e.OLLAMA_HOST ?? null,
	anthropicKeyIsToken: e.ANTHROPIC_API_KEY !== undefined && e.ANTHROPIC_API_KEY === e.AGENTSPACE_SESSION_TOKEN,
	openaiKeyIsToken: e.OPENAI_API_KEY !== undefined && e.OPENAI_API_KEY === e.AGENTSPACE_SESSION_TOKEN,
	proxy: e.HTTPS_PROXY !== undefined,
	secret: e.AGENTSPACE_SECRET_API_TOKEN ?? null,
}));
const http = await new Promise((done) => {
	const req = request({ host: '127.0.0.1', port: Number(port), path: '/anthropic/v1/messages', method: 'POST',
		headers: { 'x-api-key': e.ANTHROPIC_API_KEY ?? 'none', 'content-type': 'application/json' }, timeout: 5000 },
		(res) => { let body = ''; res.setEncoding('utf8').on('data', (c) => { body += c; }).on('end', () => done(res.statusCode + ' ' + body)); });
	req.on('error', (error) => done(error.code));
	req.on('timeout', () => { req.destroy(); done('ETIMEDOUT'); });
	req.end('{"model":"stand-in"}');
});
say('http ' + http);
say('unix ' + await new Promise((done) => {
	const socket = connect({ path: socketPath });
	socket.once('connect', () => { socket.destroy(); done('ok'); });
	socket.once('error', (error) => done(error.code));
}));
const { readdirSync } = await import('node:fs');
const { dirname } = await import('node:path');
let listed;
try { listed = readdirSync(dirname(socketPath)).sort().join(','); } catch (error) { listed = error.code; }
say('dir ' + listed);
say('other ' + await new Promise((done) => {
	const socket = connect({ host: '127.0.0.1', port: Number(process.argv[4]) });
	socket.once('connect', () => { socket.destroy(); done('ok'); });
	socket.once('error', (error) => done(error.code));
}));
`;

interface Received {
	readonly url: string;
	readonly headers: IncomingHttpHeaders;
}

let temp: TempHomeDb;
let repo: GitRepo | undefined;
let server: Server;
let socketPath: string;
let received: Received[];
/** A host service on another loopback port, beside the endpoint's socket in <home>/run. */
let other: NetServer;
let otherPort: number;

beforeEach(async () => {
	temp = openTempHomeDb('llm-endpoint');
	socketPath = join(temp.home, 'run', 'llm.sock');
	mkdirSync(join(temp.home, 'run'), { recursive: true, mode: 0o700 });
	received = [];
	server = createServer((req, res) => {
		received.push({ url: req.url ?? '', headers: req.headers });
		req.resume();
		req.on('end', () => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ reached: req.url }));
		});
	});
	await new Promise<void>((resolve) => server.listen(socketPath, resolve));
	// What else <home>/run holds (the daemon's socket, its pid): never shown to a run.
	writeFileSync(join(temp.home, 'run', 'daemon.pid'), '1');
	other = createNetServer((socket) => {
		// The probing agent destroys its end at once: a reset here is expected, not an error.
		socket.on('error', () => {});
		socket.end('reached');
	});
	await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
	otherPort = (other.address() as AddressInfo).port;
});
afterEach(async () => {
	await new Promise((resolve) => server.close(resolve));
	await new Promise((resolve) => other.close(resolve));
	repo?.cleanup();
	repo = undefined;
	temp.cleanup();
});

interface Outcome {
	readonly seen: Record<string, unknown>;
	readonly http: string;
	readonly unix: string;
	readonly dir: string;
	readonly other: string;
	/** What happened, in order: `registered`, `line`, `released`, `ended`. */
	readonly order: string[];
	readonly credentials: RunCredentials[];
	readonly log: string;
}

/** Runs the agent with `permissions` (all approved) to its end; what it said and what was called. */
async function runAgent(
	permissions: readonly string[],
	options: Partial<SuperviseOptions> & { sandboxed: boolean; remember?: readonly string[] },
): Promise<Outcome> {
	const { sandboxed, remember, ...more } = options;
	repo = await installRunAgent({
		db: temp.db,
		home: temp.home,
		actor,
		permissions,
		script: AGENT,
		args: [String(PORT), socketPath, String(otherPort)],
	});
	// Enabled again, the same approval with some of it remembered.
	if (remember !== undefined)
		enableAgent({ db: temp.db, id: 'echo-agent', approve: 'all', actor, remember });
	const order: string[] = [];
	const credentials: RunCredentials[] = [];
	const lines: string[] = [];
	let logPath = '';
	const supervisor = await superviseAgent({
		db: temp.db,
		home: temp.home,
		id: 'echo-agent',
		actor,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		...(sandboxed ? { unsandboxed: false, sandboxHostScript: HOST } : { unsandboxed: true }),
		onLine: (_stream, text) => {
			if (!order.includes('line')) order.push('line');
			lines.push(text);
		},
		onStatus: (status) => {
			if (status.state === 'started') logPath = status.logPath;
			if (status.state === 'ended') order.push('ended');
		},
		onRunCredentials: (run) => {
			order.push('registered');
			credentials.push(run);
			return () => order.push('released');
		},
		...more,
	});
	await supervisor.done;
	const said = (prefix: string) =>
		lines.find((line) => line.startsWith(`${prefix} `))?.slice(prefix.length + 1) ?? '';
	return {
		seen: JSON.parse(said('seen') || '{}') as Record<string, unknown>,
		http: said('http'),
		unix: said('unix'),
		dir: said('dir'),
		other: said('other'),
		order,
		credentials,
		log: readFileSync(logPath, 'utf8'),
	};
}

const endpoint = () => ({ port: PORT, socketPath });

describe.skipIf(!sandbox.run)('a sandboxed run and the LLM endpoint', () => {
	it('with llm:anthropic reaches the endpoint through its bridge, its token as the key, and cannot open the socket itself', async () => {
		const run = await runAgent(['llm:anthropic'], { sandboxed: true, llmEndpoint: endpoint() });

		expect(run.seen).toMatchObject({
			llmUrl: `http://127.0.0.1:${PORT}`,
			anthropic: `http://127.0.0.1:${PORT}/anthropic`,
			openai: null,
			anthropicKeyIsToken: true,
			proxy: false,
		});
		expect(run.http).toBe('200 {"reached":"/anthropic/v1/messages"}');
		expect(received).toHaveLength(1);
		const [credentials] = run.credentials;
		expect(credentials).toMatchObject({
			agentId: 'echo-agent',
			llm: [{ provider: 'anthropic', remembered: false }],
		});
		// The key the endpoint sees is the run's session token, the one registered.
		expect(received[0]?.headers['x-api-key']).toBe(credentials?.sessionToken);
		// socket(AF_UNIX) is refused by the seccomp filter: only the bridge may.
		expect(run.unix).toMatch(/^(EPERM|EACCES)$/);
		// Only the socket is bound in, not the rest of <home>/run; and only the
		// endpoint's port is new on the sandbox's loopback, not the host's others.
		expect(run.dir).toBe('llm.sock');
		expect(run.other).toBe('ECONNREFUSED');
		expect(run.order).toEqual(['registered', 'line', 'released', 'ended']);
	});

	it('without llm: gets no variables and reaches nothing of the endpoint', async () => {
		const run = await runAgent(['process:spawn'], { sandboxed: true, llmEndpoint: endpoint() });

		expect(run.seen).toMatchObject({ llmUrl: null, anthropic: null, anthropicKeyIsToken: false });
		expect(run.http).toBe('ECONNREFUSED');
		// Not bound in: the home is hidden, the socket with it.
		expect(run.unix).toMatch(/^(ENOENT|EPERM|EACCES)$/);
		expect(received).toHaveLength(0);
		expect(run.credentials[0]?.llm).toEqual([]);
	});

	it('with a network approval too: both the proxy and the endpoint work', async () => {
		const run = await runAgent(['network:egress:example.com', 'llm:anthropic', 'llm:openai'], {
			sandboxed: true,
			llmEndpoint: endpoint(),
		});

		expect(run.seen).toMatchObject({
			anthropic: `http://127.0.0.1:${PORT}/anthropic`,
			openai: `http://127.0.0.1:${PORT}/openai/v1`,
			anthropicKeyIsToken: true,
			openaiKeyIsToken: true,
			proxy: true,
		});
		expect(run.http).toBe('200 {"reached":"/anthropic/v1/messages"}');
		expect(run.unix).toMatch(/^(EPERM|EACCES)$/);
		expect(run.order).toEqual(['registered', 'line', 'released', 'ended']);
	});
});

/** The processes whose command line names `text` (the bridges name the socket). */
function processesNaming(text: string): string[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.filter((pid) => {
			try {
				return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
			} catch {
				return false;
			}
		});
}

describe.skipIf(!sandbox.run)('stopping a sandboxed run with an LLM bridge', () => {
	it('stops the agent and its bridge: nothing naming the socket is left', async () => {
		repo = await installRunAgent({
			db: temp.db,
			home: temp.home,
			actor,
			permissions: ['llm:anthropic'],
			script: `process.on('SIGTERM', () => { process.stdout.write('terminated\\n'); process.exit(0); });
process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`,
		});
		const lines: string[] = [];
		let ready: () => void = () => {};
		const started = new Promise<void>((resolve) => {
			ready = resolve;
		});
		const supervisor = await superviseAgent({
			db: temp.db,
			home: temp.home,
			id: 'echo-agent',
			actor,
			unsandboxed: false,
			sandboxHostScript: HOST,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
			llmEndpoint: endpoint(),
			onLine: (_stream, text) => {
				lines.push(text);
				if (text === 'ready') ready();
			},
		});
		await started;
		expect(processesNaming(socketPath).length).toBeGreaterThan(0);

		const result = await supervisor.stop(5000);

		expect(lines).toContain('terminated');
		expect(result.lastExit).toMatchObject({ stopped: true, killed: false });
		expect(processesNaming(socketPath)).toEqual([]);
	});
});

describe('an unsandboxed run and the LLM endpoint', () => {
	it('without the endpoint (a foreground run) gets no LLM variables', async () => {
		const run = await runAgent(['llm:anthropic', 'llm:ollama'], { sandboxed: false });

		expect(run.seen).toMatchObject({ llmUrl: null, anthropic: null, ollama: null });
		expect(run.log).toContain(
			"approved for llm:anthropic, llm:ollama but the daemon's LLM endpoint is not serving",
		);
		expect(run.credentials[0]?.llm).toEqual([
			{ provider: 'anthropic', remembered: false },
			{ provider: 'ollama', remembered: false },
		]);
	});

	it('with it gets the endpoint’s URL for each approved provider, ollama without a key; remembered ones say so', async () => {
		const run = await runAgent(['llm:ollama', 'llm:openai-compatible:groq'], {
			sandboxed: false,
			llmEndpoint: endpoint(),
			remember: ['llm:openai-compatible:groq'],
		});

		expect(run.credentials[0]?.llm).toEqual([
			{ provider: 'ollama', remembered: false },
			{ provider: 'openai-compatible:groq', remembered: true },
		]);
		expect(run.log).not.toContain('LLM endpoint is not serving');
		expect(run.seen).toMatchObject({
			llmUrl: `http://127.0.0.1:${PORT}`,
			ollama: `http://127.0.0.1:${PORT}/ollama`,
			anthropic: null,
			openai: null,
		});
	});
});

describe('an approved env:read: of a variable the endpoint sets', () => {
	it('gives the run the endpoint’s value, not the caller’s real key', async () => {
		const run = await runAgent(
			['llm:anthropic', 'env:read:ANTHROPIC_API_KEY', 'env:read:ANTHROPIC_BASE_URL'],
			{
				sandboxed: false,
				llmEndpoint: endpoint(),
				env: {
					PATH: process.env.PATH ?? '/usr/bin:/bin',
					ANTHROPIC_API_KEY: 'sk-ant-real-key-of-the-caller',
					ANTHROPIC_BASE_URL: 'https://api.anthropic.com',
				},
			},
		);

		expect(run.seen).toMatchObject({
			anthropic: `http://127.0.0.1:${PORT}/anthropic`,
			anthropicKeyIsToken: true,
		});
		expect(run.log).not.toContain('sk-ant-real-key-of-the-caller');
	});
});

describe('run credentials', () => {
	it('are released when the process cannot start', async () => {
		repo = await installRunAgent({
			db: temp.db,
			home: temp.home,
			actor,
			permissions: ['llm:anthropic'],
			manifest: { entrypoint: { command: 'agentspace-no-such-command', args: [] } },
		});
		const order: string[] = [];
		await expect(
			superviseAgent({
				db: temp.db,
				home: temp.home,
				id: 'echo-agent',
				actor,
				unsandboxed: true,
				env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
				llmEndpoint: endpoint(),
				onRunCredentials: () => {
					order.push('registered');
					return () => order.push('released');
				},
			}),
		).rejects.toThrow(/command not found/);
		expect(order).toEqual(['registered', 'released']);
	});
});

describe('secrets passed to a run', () => {
	const VALUE = 'correct-horse-battery-staple-42';

	it('gives an approved secret as AGENTSPACE_SECRET_<NAME>, never in its log, and names a missing one', async () => {
		let asked: readonly string[] = [];
		const run = await runAgent(['secret:read:api-token', 'secret:read:not-set'], {
			sandboxed: false,
			resolveSecrets: async (names) => {
				asked = names;
				return { 'api-token': VALUE };
			},
		});

		expect(asked).toEqual(['api-token', 'not-set']);
		// The agent has it (and printed it, inside its JSON line)...
		expect(run.seen).toMatchObject({ secret: expect.any(String) });
		// ...the log has the line, without the value, and the missing one by name.
		expect(run.log).toContain('seen ');
		expect(run.log).not.toContain(VALUE);
		expect(run.log).toContain('not set, not passed: not-set');
	});

	it('reaches the agent itself unchanged', async () => {
		// Checked in the agent, since what it prints is redacted on the way out.
		const script = `process.stdout.write('match ' + (process.env.AGENTSPACE_SECRET_API_TOKEN === ${JSON.stringify(VALUE)}) + '\\n');`;
		repo = await installRunAgent({
			db: temp.db,
			home: temp.home,
			actor,
			permissions: ['secret:read:api-token'],
			script,
		});
		const lines: string[] = [];
		const supervisor = await superviseAgent({
			db: temp.db,
			home: temp.home,
			id: 'echo-agent',
			actor,
			unsandboxed: true,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
			onLine: (_stream, text) => lines.push(text),
			resolveSecrets: async () => ({ 'api-token': VALUE }),
		});
		await supervisor.done;
		expect(lines).toContain('match true');
	});
});

// The bwrap argv of a run approved for llm: (directBwrapArgv's `llm`): the
// endpoint's socket bound in, its socat bridge started before the seccomp
// helper and awaited before the agent, alone or beside a network-approved
// run's two bridges. That the bridge really works is llmEndpoint.test.ts.
import { describe, expect, it } from 'vitest';
import { awaitListening, type DirectBwrapInput, directBwrapArgv } from './directBwrapArgv.js';
import { validateSandboxLaunch } from './sandboxLaunch.js';

const base: DirectBwrapInput = {
	options: [
		['--ro-bind', '/', '/'],
		['--cap-add', 'CAP_SETFCAP'],
	],
	shell: '/bin/sh',
	cwd: '/w',
	tmpdir: '/w/tmp',
	argv: ['node', 'agent.mjs'],
	notes: [],
	seccompFd: 3,
};
const llm = {
	port: 3271,
	socketPath: '/h/run/llm.sock',
	socat: '/usr/bin/socat',
	applySeccomp: '/lib/apply-seccomp',
};
const network = {
	socketPath: '/tmp/proxy/p.sock',
	socat: '/usr/bin/socat',
	applySeccomp: '/lib/apply-seccomp',
	env: [['HTTPS_PROXY', 'http://127.0.0.1:3128']] as const,
	awaitProxy: 'AWAIT_PROXY',
};
const BRIDGE =
	'/usr/bin/socat TCP-LISTEN:3271,bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:/h/run/llm.sock >/dev/null 2>&1 &';

describe('directBwrapArgv with an LLM bridge', () => {
	it('binds the socket, bridges 127.0.0.1:<port> to it before the seccomp helper, awaits it, and loads no --seccomp', () => {
		const argv = directBwrapArgv({ ...base, llm });
		const command = argv.indexOf('--');
		const options = argv.slice(0, command).join(' ');
		expect(options).toContain('--bind /h/run/llm.sock /h/run/llm.sock');
		expect(options).not.toContain('--seccomp');
		// The seccomp helper's nested user namespace needs it.
		expect(options).toContain('--cap-add CAP_SETFCAP');
		expect(options).not.toContain('HTTPS_PROXY');
		expect(argv[command + 3]).toBe(
			[
				BRIDGE,
				"trap 'rc=$?; kill %1 2>/dev/null; exit $rc' EXIT",
				`/lib/apply-seccomp /bin/sh -c '${awaitListening(3271).replaceAll("'", `'"'"'`)}; exec "$@"' agentspace-sandbox "$@"`,
			].join('\n'),
		);
	});

	it('beside a network approval: the proxy’s two bridges, then the LLM bridge, all awaited, all ended', () => {
		const argv = directBwrapArgv({ ...base, llm, network });
		const script = argv[argv.indexOf('--') + 3] as string;
		const lines = script.split('\n');
		expect(lines[0]).toContain('TCP-LISTEN:3128,fork,reuseaddr');
		expect(lines[1]).toContain('TCP-LISTEN:1080,fork,reuseaddr');
		expect(lines[2]).toBe(BRIDGE);
		expect(lines[3]).toBe("trap 'rc=$?; kill %1 %2 %3 2>/dev/null; exit $rc' EXIT");
		expect(lines[4]).toContain(`AWAIT_PROXY; ${awaitListening(3271)}; exec`);
		const options = argv.slice(0, argv.indexOf('--')).join(' ');
		expect(options).toContain('--bind /tmp/proxy/p.sock /tmp/proxy/p.sock');
		expect(options).toContain('--bind /h/run/llm.sock /h/run/llm.sock');
	});

	it('leaves a network-only run’s script as it was', () => {
		const script = directBwrapArgv({ ...base, network }).at(-4);
		expect(script).toBe(
			[
				'/usr/bin/socat TCP-LISTEN:3128,fork,reuseaddr UNIX-CONNECT:/tmp/proxy/p.sock >/dev/null 2>&1 &',
				'/usr/bin/socat TCP-LISTEN:1080,fork,reuseaddr UNIX-CONNECT:/tmp/proxy/p.sock >/dev/null 2>&1 &',
				"trap 'rc=$?; kill %1 %2 2>/dev/null; exit $rc' EXIT",
				`/lib/apply-seccomp /bin/sh -c 'AWAIT_PROXY; exec "$@"' agentspace-sandbox "$@"`,
			].join('\n'),
		);
	});

	it('waits for the port in /proc/net/tcp, in hex', () => {
		expect(awaitListening(3271)).toContain('":0CC7 00000000:0000 0A"');
		expect(awaitListening(80)).toContain('":0050 00000000:0000 0A"');
	});
});

describe('the sandbox launch’s llmBridge', () => {
	const launch = {
		runId: 'run_1',
		cwd: '/w',
		tmpdir: '/w/tmp',
		dataDir: '/w/data',
		allowWrite: [],
		denyWrite: [],
		denyRead: [],
		allowRead: [],
		allowedHosts: [],
		argv: ['node'],
	};
	it('is accepted as { port, socketPath }', () => {
		expect(
			validateSandboxLaunch({ ...launch, llmBridge: { port: 3271, socketPath: '/h/run/llm.sock' } })
				.ok,
		).toBe(true);
	});
	const bad: [string, unknown, string][] = [
		['not an object', 'x', 'llmBridge'],
		['a port out of range', { port: 0, socketPath: '/s' }, 'llmBridge.port'],
		['a relative socket', { port: 1, socketPath: 's.sock' }, 'llmBridge.socketPath'],
		[
			'a socket path socat would misread',
			{ port: 1, socketPath: '/a,b:c' },
			'llmBridge.socketPath',
		],
		[
			'a socket path too long',
			{ port: 1, socketPath: `/${'a'.repeat(107)}` },
			'llmBridge.socketPath',
		],
		['a path with ..', { port: 1, socketPath: '/a/../b' }, 'llmBridge.socketPath'],
		['an unknown field', { port: 1, socketPath: '/s', token: 'x' }, 'llmBridge.token'],
	];
	it.each(bad)('refuses %s', (_, llmBridge, path) => {
		const result = validateSandboxLaunch({ ...launch, llmBridge });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
	});
});

// A run approved for tool:call gets one end of a socketpair as fd 4 and
// AGENTSPACE_MCP_FD=4 — unsandboxed, inside the real bubblewrap sandbox, and
// inside it with a network approval (the seccomp helper and the proxy's
// bridges between the sandbox's shell and the agent) — and nothing else new:
// the descriptors it sees are those of a run without the permission plus
// fd 4. A run without the permission gets neither the descriptor nor the
// variable; nor does one that nobody serves (no onToolChannel: a foreground run).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createTempHome, type GitRepo, sandboxTestGate } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { sandboxedCommand } from '../sandbox/sandboxedCommand.js';
import { sandboxPolicyFor } from '../sandbox/sandboxPolicy.js';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { installRunAgent } from '../testing/installRunAgent.js';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import { superviseAgent } from './superviseAgent.js';
import type { AgentToolChannel, ToolChannelRun } from './toolChannel.js';

const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
const actor = { type: 'human', id: 'tester' } as const;

// What the agent sees, said on stderr (the run's log) before anything else
// runs: the variable, the descriptors `ls` has (its own directory's among
// them, the same in every run) and what fd 4 is. Then, given the variable,
// it echoes what it reads on that descriptor.
const REPORT = [
	`printf 'report env=%s fds=%s fd4=%s\\n' "\${AGENTSPACE_MCP_FD-none}" "$(ls /proc/self/fd | sort -n | tr '\\n' ',')" "$(readlink /proc/self/fd/4 | cut -d: -f1)" >&2`,
	'exec node agent.mjs',
].join('; ');
const ECHO_AGENT = `
import net from 'node:net';
process.on('SIGTERM', () => process.exit(0));
const fd = process.env.AGENTSPACE_MCP_FD;
if (fd !== undefined) {
	const socket = new net.Socket({ fd: Number(fd), readable: true, writable: true });
	socket.on('data', (chunk) => socket.write('echo:' + chunk));
}
setInterval(() => {}, 1000);
`;

interface Seen {
	readonly report: { env: string; fds: number[]; fd4: string };
	readonly offered: { run: ToolChannelRun; channel: AgentToolChannel } | undefined;
}

let temp: TempHomeDb;
let repo: GitRepo | undefined;
beforeEach(() => {
	temp = openTempHomeDb('tool-channel');
});
afterEach(() => {
	repo?.cleanup();
	repo = undefined;
	temp.cleanup();
});

/** Runs the reporting agent with `permissions` (all approved); what it saw and what was offered. */
async function runReporting(
	permissions: readonly string[],
	options: { sandboxed: boolean; serve?: boolean },
): Promise<Seen & { stop: () => Promise<unknown> }> {
	repo = await installRunAgent({
		db: temp.db,
		home: temp.home,
		actor,
		permissions,
		script: ECHO_AGENT,
		manifest: { entrypoint: { command: 'sh', args: ['-c', REPORT] } },
	});
	let offered: Seen['offered'];
	let reported: (line: string) => void = () => {};
	const line = new Promise<string>((resolve) => {
		reported = resolve;
	});
	const supervisor = await superviseAgent({
		db: temp.db,
		home: temp.home,
		id: 'echo-agent',
		actor,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		...(options.sandboxed
			? { unsandboxed: false, sandboxHostScript: HOST }
			: { unsandboxed: true }),
		onLine: (_stream, text) => {
			if (text.startsWith('report ')) reported(text);
		},
		...(options.serve === false
			? {}
			: {
					onToolChannel: (run: ToolChannelRun, channel: AgentToolChannel) => {
						offered = { run, channel };
					},
				}),
	});
	const text = await line;
	const match = /^report env=(\S*) fds=(\S*) fd4=(\S*)$/.exec(text.trim());
	expect(match, text).not.toBeNull();
	const [, env = '', fds = '', fd4 = ''] = match as RegExpExecArray;
	return {
		report: { env, fds: fds.split(',').filter(Boolean).map(Number), fd4 },
		offered,
		stop: () => supervisor.stop(2000),
	};
}

/** Writes a line on the channel and resolves with the agent's answer. */
function echo(channel: AgentToolChannel, text: string): Promise<string> {
	return new Promise((resolve) => {
		let answer = '';
		channel.stream.on('data', (chunk: Buffer) => {
			answer += chunk.toString('utf8');
			if (answer.endsWith('\n')) resolve(answer);
		});
		channel.stream.write(`${text}\n`);
	});
}

const modes: { name: string; sandboxed: boolean; extra: readonly string[] }[] = [
	{ name: 'unsandboxed', sandboxed: false, extra: [] },
	...(sandbox.run
		? [
				{ name: 'sandboxed', sandboxed: true, extra: [] },
				{
					name: 'sandboxed with a network approval',
					sandboxed: true,
					extra: ['network:egress:example.com'],
				},
			]
		: []),
];

describe.each(modes)('the tool channel, $name', ({ sandboxed, extra }) => {
	it('fd 4 is a socket to the supervisor, named by AGENTSPACE_MCP_FD, and nothing else is new', async () => {
		const without = await runReporting(extra, { sandboxed });
		await without.stop();
		expect(without.report.env).toBe('none');
		expect(without.report.fd4).toBe('');
		expect(without.offered).toBeUndefined();
		repo?.cleanup();
		temp.cleanup();
		temp = openTempHomeDb('tool-channel');

		const seen = await runReporting(['tool:call:fleet/*', 'tool:call:files/read_file', ...extra], {
			sandboxed,
		});
		try {
			expect(seen.report.env).toBe('4');
			expect(seen.report.fd4).toBe('socket');
			expect(seen.report.fds).toEqual([...without.report.fds, 4].sort((a, b) => a - b));
			expect(seen.offered?.run).toMatchObject({
				agentId: 'echo-agent',
				allowed: ['fleet/*', 'files/read_file'],
			});
			expect(await echo(seen.offered?.channel as AgentToolChannel, 'hello')).toBe('echo:hello\n');
		} finally {
			await seen.stop();
		}
		await expect(seen.offered?.channel.closed).resolves.toBeUndefined();
	});

	it('a run nobody serves (no onToolChannel, as a foreground run) gets no descriptor and no variable', async () => {
		const seen = await runReporting(['tool:call:fleet/*', ...extra], { sandboxed, serve: false });
		await seen.stop();
		expect(seen.report).toMatchObject({ env: 'none', fd4: '' });
		expect(seen.report.fds).not.toContain(4);
	});
});

// Where the supervisor cannot load the seccomp filter itself (macOS, other
// architectures) the Node sandbox host runs the agent: it passes fd 4 on.
describe.skipIf(!sandbox.run)('the tool channel through the sandbox host', () => {
	it('the agent inside finds the socket on fd 4 and nothing else new', async () => {
		const temp = createTempHome('tool-channel-host');
		try {
			const paths = agentPaths(temp.home, 'probe');
			for (const dir of [paths.src, `${paths.data}/home`, `${paths.data}/tmp`])
				mkdirSync(dir, { recursive: true });
			const policy = sandboxPolicyFor({
				agentHome: temp.home,
				userHome: temp.home,
				paths,
				installPath: paths.src,
				runId: 'run-tool-channel-host',
				approved: [],
			});
			const report = async (channel: boolean) => {
				const launch = sandboxedCommand({
					hostScript: HOST,
					policy,
					command: 'sh',
					args: ['-c', REPORT.replace('; exec node agent.mjs', '')],
				});
				const child = spawn(process.execPath, launch.args, {
					env: {
						PATH: process.env.PATH,
						HOME: `${paths.data}/home`,
						...(channel ? { AGENTSPACE_MCP_FD: '4' } : {}),
					},
					cwd: paths.src,
					stdio: ['ignore', 'pipe', 'pipe', 'ignore', ...(channel ? (['pipe'] as const) : [])],
				});
				let stderr = '';
				child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
					stderr += chunk;
				});
				(child.stdio[4] as Duplex | undefined)?.resume();
				await new Promise((resolve) => child.once('close', resolve));
				const match = /report env=(\S*) fds=(\S*) fd4=(\S*)/.exec(stderr);
				expect(match, stderr).not.toBeNull();
				return {
					env: match?.[1],
					fds: match?.[2]?.split(',').filter(Boolean).map(Number) ?? [],
					fd4: match?.[3],
				};
			};
			const without = await report(false);
			const seen = await report(true);
			expect(without).toMatchObject({ env: 'none', fd4: '' });
			expect(seen).toMatchObject({ env: '4', fd4: 'socket' });
			expect(seen.fds).toEqual([...without.fds, 4].sort((a, b) => a - b));
		} finally {
			temp.cleanup();
		}
	});
});

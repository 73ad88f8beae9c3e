import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { AgentSpaceError } from '@agentspace/core';
import { daemonPaths, isDaemonNotRunning, openDaemonStream } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { ExitCode } from '../../exitCodes.js';
import { reportError } from '../../reportError.js';
import { daemonConnection, ensureDaemon } from '../daemon/daemonConnection.js';

// After the client closed stdin, how long the daemon has to close the session before the relay stops waiting.
const CLOSE_WAIT_MS = 5000;

/**
 * `agentspace mcp`: relays an MCP client's stdio to a gateway session in the
 * daemon (started when needed) — `mcpConnect` upgrades a socket connection,
 * then bytes are piped both ways unparsed. stdout carries the daemon's MCP
 * messages and nothing else; errors go to stderr (even with --json: stdout
 * is the protocol). Exits 0 when the client closes stdin and the session
 * has ended; with CONFLICT (4) when the daemon ends the session first.
 */
export async function mcpStdio(ctx: CommandContext): Promise<ActionResult> {
	try {
		const stream = await openSession(ctx);
		return await relay(stream, process.stdin, process.stdout, ctx);
	} catch (error) {
		// Not through the action's own reporting: with --json it would write the error on stdout.
		return reportError(error, false, ctx.log);
	}
}

async function openSession(ctx: CommandContext): Promise<Socket> {
	const params = { client: { pid: process.pid } };
	// A running daemon is asked at once: no status round trip before the session.
	if (existsSync(daemonPaths(ctx.home).socket)) {
		try {
			return (await openDaemonStream(await daemonConnection(ctx.home), 'mcpConnect', params))
				.stream;
		} catch (error) {
			if (!isDaemonNotRunning(error)) throw error;
		}
	}
	const { status, started, connection } = await ensureDaemon(ctx.home, ctx.env);
	if (started)
		ctx.output.note(ctx.output.style.dim(`started the AgentSpace daemon (pid ${status.pid})`));
	return (await openDaemonStream(connection, 'mcpConnect', params)).stream;
}

/** Pipes `input` to the session and the session to `output` until either side ends; resolves with the exit code. */
function relay(
	session: Socket,
	input: NodeJS.ReadableStream & { destroy(): void },
	output: NodeJS.WritableStream,
	ctx: CommandContext,
): Promise<number> {
	return new Promise((resolve) => {
		let inputEnded = false;
		let wait: NodeJS.Timeout | undefined;
		// Not ended with the session: process.stdout is never closed by a pipe anyway.
		session.pipe(output, { end: false });
		// The client's end of input half-closes the connection: the daemon ends the session.
		input.pipe(session);
		input.once('end', () => {
			inputEnded = true;
			// A daemon that does not close the session must not keep the client waiting on our exit.
			wait = setTimeout(() => session.destroy(), CLOSE_WAIT_MS);
		});
		session.once('close', () => {
			clearTimeout(wait);
			input.unpipe(session);
			if (inputEnded) {
				resolve(ExitCode.Ok);
				return;
			}
			// Nothing more will reach the daemon: stop reading, so the process can exit.
			input.destroy();
			resolve(
				reportError(
					new AgentSpaceError(
						'the AgentSpace daemon ended the MCP session (it stopped, restarted, or the client broke the protocol)',
						{
							code: 'CONFLICT',
							hint: `see ${daemonPaths(ctx.home).log}; restart the MCP client to connect again`,
						},
					),
					false,
					ctx.log,
				),
			);
		});
	});
}

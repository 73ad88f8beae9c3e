import { AgentSpaceError, isAgentSpaceError, loadConfig } from '@agentspace/core';
import { streamDaemon } from '@agentspace/daemon';
import { DEFAULT_TOOL_CALL_TIMEOUT_MS, type ToolProgress } from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import { cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { ExitCode } from '../../exitCodes.js';
import { parseSecondsArg } from '../../parseArgs.js';
import { ensureDaemon } from '../daemon/daemonConnection.js';
import { parseToolArgs } from './toolArgs.js';
import { agentText } from './toolRows.js';
import { parseToolTarget } from './toolTarget.js';

/** Options of `tools call`. */
export interface ToolsCallOptions {
	readonly args?: string;
	readonly arg?: readonly string[];
	readonly timeout?: string;
}

// The connection outlives the call's own timeout by this much: the daemon's answer decides.
const ANSWER_SLACK_MS = 30_000;

/** config.json's default call timeout; the router's own default when the file does not load. */
function configuredCallTimeoutMs(home: string): number {
	try {
		return loadConfig({ home }).tools.callTimeoutMs;
	} catch {
		return DEFAULT_TOOL_CALL_TIMEOUT_MS;
	}
}

/**
 * `tools call <agent>/<tool>`: calls the tool through the daemon (started
 * when needed) — the one checked and recorded path, as the CLI's user. Progress
 * is drawn on stderr when it is a terminal; Ctrl-C (or SIGTERM) closes the
 * connection, which cancels the call at the agent, and exits 130. Prints the
 * tool's text content (else its structured content); `--json` prints the whole
 * outcome. A tool that reports an error (`isError`) exits 12.
 */
export async function toolsCall(
	ctx: CommandContext,
	target: string,
	options: ToolsCallOptions,
): Promise<ActionResult> {
	// Checked before a daemon is started for it.
	parseToolTarget(target);
	const args = parseToolArgs(options);
	const timeoutMs =
		options.timeout === undefined
			? undefined
			: Math.round(parseSecondsArg('--timeout', options.timeout, 0.001, 86_400) * 1000);
	const { status, started, connection } = await ensureDaemon(ctx.home, ctx.env);
	// Without --timeout the daemon applies config.json's tools.callTimeoutMs: wait as long.
	const callTimeoutMs = timeoutMs ?? configuredCallTimeoutMs(ctx.home);
	if (started)
		ctx.output.note(ctx.output.style.dim(`started the AgentSpace daemon (pid ${status.pid})`));
	const cancel = new AbortController();
	const signals = ['SIGINT', 'SIGTERM'] as const;
	const onSignal = () => cancel.abort();
	for (const signal of signals) process.on(signal, onSignal);
	try {
		const outcome = await streamDaemon(
			{ ...connection, timeoutMs: callTimeoutMs + ANSWER_SLACK_MS },
			'toolsCall',
			{ target, args, caller: cliActor(), ...(timeoutMs === undefined ? {} : { timeoutMs }) },
			{
				signal: cancel.signal,
				onProgress: (progress) => ctx.output.progress(progressText(target, progress)),
			},
		);
		ctx.output.progress(undefined);
		ctx.output.data(outcome);
		for (const line of resultLines(outcome.content, outcome.structuredContent))
			ctx.output.line(line);
		if (outcome.isError) {
			ctx.output.note(
				ctx.output.style.red(
					`error[TOOL_ERROR]: ${agentText(target)} reported an error (call ${outcome.callId})`,
				),
			);
			ctx.output.note(
				`hint: agentspace tools log --agent ${agentText(parseToolTarget(target).agentId)} --status error`,
			);
			return ExitCode.CommandFailed;
		}
	} catch (error) {
		if (cancel.signal.aborted && isAgentSpaceError(error) && error.code === 'INTERRUPTED') {
			throw new AgentSpaceError(`call to ${agentText(target, 80)} cancelled`, {
				code: 'INTERRUPTED',
				hint: 'the daemon told the agent to stop (notifications/cancelled); agentspace tools log shows the call',
				cause: error,
			});
		}
		throw error;
	} finally {
		ctx.output.progress(undefined);
		for (const signal of signals) process.off(signal, onSignal);
	}
}

function progressText(target: string, progress: ToolProgress): string {
	const total = progress.total === undefined ? '' : `/${progress.total}`;
	const message = progress.message === undefined ? '' : ` ${agentText(progress.message, 120)}`;
	return `${agentText(target, 60)}: ${progress.progress}${total}${message}`;
}

/** The result for people: each text item's lines (escaped), a placeholder for other items, or the structured content. */
function resultLines(
	content: readonly unknown[],
	structured: Record<string, unknown> | undefined,
): string[] {
	const lines: string[] = [];
	for (const item of content) {
		const { type, text, mimeType } = (item ?? {}) as {
			type?: unknown;
			text?: unknown;
			mimeType?: unknown;
		};
		if (type === 'text' && typeof text === 'string')
			lines.push(...text.split('\n').map((line) => agentText(line)));
		else
			lines.push(
				`[${agentText(String(type))}${typeof mimeType === 'string' ? ` ${agentText(mimeType)}` : ''}]`,
			);
	}
	if (lines.length === 0 && structured !== undefined)
		lines.push(
			...JSON.stringify(structured, null, 2)
				.split('\n')
				.map((line) => agentText(line)),
		);
	return lines;
}

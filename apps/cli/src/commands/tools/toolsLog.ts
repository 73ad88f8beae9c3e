import { existsSync } from 'node:fs';
import { AgentSpaceError, homePaths } from '@agentspace/core';
import {
	MAX_TOOL_CALLS_LIMIT,
	queryToolCalls,
	TOOL_CALL_STATUSES,
	type ToolCallRecord,
	type ToolCallStatus,
} from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { parseIntArg, parseTimeArg } from '../../parseArgs.js';
import { agentText } from './toolRows.js';

/** Options of `tools log`. */
export interface ToolsLogOptions {
	readonly agent?: string;
	readonly tool?: string;
	readonly status?: string;
	readonly since?: string;
	readonly limit: string;
}

/** `tools log`: the call log, newest first — who called which tool, how it ended, how long it took. */
export async function toolsLog(
	ctx: CommandContext,
	options: ToolsLogOptions,
): Promise<ActionResult> {
	if (
		options.status !== undefined &&
		!(TOOL_CALL_STATUSES as readonly string[]).includes(options.status)
	) {
		throw new AgentSpaceError(`--status "${agentText(options.status, 40)}" is not a call status`, {
			code: 'USAGE',
			hint: `one of ${TOOL_CALL_STATUSES.join(', ')}`,
		});
	}
	const query = {
		limit: parseIntArg('--limit', options.limit, 1, MAX_TOOL_CALLS_LIMIT),
		...(options.agent === undefined ? {} : { agentId: options.agent }),
		...(options.tool === undefined ? {} : { tool: options.tool }),
		...(options.status === undefined ? {} : { status: options.status as ToolCallStatus }),
		...(options.since === undefined ? {} : { since: parseTimeArg('--since', options.since) }),
	};
	let calls: ToolCallRecord[] = [];
	if (existsSync(homePaths(ctx.home).dbFile)) {
		const db = openExistingHomeDb(ctx.home);
		try {
			calls = queryToolCalls(db, query);
		} finally {
			db.$client.close();
		}
	}
	ctx.output.data({ count: calls.length, calls });
	if (calls.length === 0) {
		ctx.output.line('No tool calls recorded (with these filters).');
		return;
	}
	const { style } = ctx.output;
	ctx.output.table(calls, [
		{ header: 'AT', value: (call) => call.at },
		{ header: 'TOOL', value: (call) => agentText(`${call.agentId}/${call.tool}`, 50) },
		{ header: 'CALLER', value: (call) => agentText(`${call.caller.type}:${call.caller.id}`, 30) },
		{
			header: 'STATUS',
			value: (call) =>
				call.status === 'ok'
					? style.green('ok')
					: style.red(`${call.status}${call.errorCode === null ? '' : ` ${call.errorCode}`}`),
		},
		{ header: 'MS', value: (call) => String(Math.round(call.durationMs)) },
		{ header: 'SUMMARY', value: (call) => agentText(call.summary, 60) },
	]);
}

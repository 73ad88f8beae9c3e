import { isAgentSpaceError } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { ExitCode } from '../../exitCodes.js';
import { checkAuthToken } from './checks/checkAuthToken.js';
import { checkConfig } from './checks/checkConfig.js';
import { checkDatabase } from './checks/checkDatabase.js';
import { checkGit } from './checks/checkGit.js';
import { checkHome } from './checks/checkHome.js';
import { checkKeyStorage } from './checks/checkKeyStorage.js';
import { checkNode } from './checks/checkNode.js';
import { checkSandbox } from './checks/checkSandbox.js';
import type { Check, DoctorCheck } from './types.js';

// Order matters: the home must exist before config, database and token.
const CHECKS: ReadonlyArray<readonly [string, Check]> = [
	['node', () => checkNode()],
	['home', checkHome],
	['config', checkConfig],
	['database', checkDatabase],
	['keychain', checkAuthToken],
	['keys', checkKeyStorage],
	['git', () => checkGit()],
	['sandbox', () => checkSandbox()],
];

async function runCheck(id: string, check: Check, home: string): Promise<DoctorCheck> {
	try {
		return await check(home);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {
			id,
			status: 'fail',
			detail: isAgentSpaceError(error) ? `error[${error.code}]: ${message}` : message,
			...(isAgentSpaceError(error) && error.hint !== undefined ? { hint: error.hint } : {}),
		};
	}
}

/**
 * `doctor`: prepares the home (directories, default config, database, auth
 * token) and reports whether everything AgentSpace needs is in place. Exits 11
 * when a check fails; warnings do not change the exit code.
 */
export async function runDoctor(ctx: CommandContext): Promise<ActionResult> {
	const checks: DoctorCheck[] = [];
	for (const [id, check] of CHECKS) checks.push(await runCheck(id, check, ctx.home));
	const failed = checks.filter((c) => c.status === 'fail').length;
	const warned = checks.filter((c) => c.status === 'warn').length;
	ctx.output.data({ ok: failed === 0, home: ctx.home, checks });

	const { style } = ctx.output;
	const mark = { ok: style.green('✓'), warn: style.yellow('!'), fail: style.red('✗') } as const;
	const width = Math.max(...checks.map((c) => c.id.length));
	ctx.output.line(`${style.bold('AgentSpace doctor')}  ${style.dim(`home ${ctx.home}`)}`);
	for (const check of checks) {
		ctx.output.line(`  ${mark[check.status]} ${check.id.padEnd(width)}  ${check.detail}`);
		if (check.hint !== undefined && check.status !== 'ok') {
			ctx.output.line(`    ${' '.repeat(width)}  ${style.dim(`hint: ${check.hint}`)}`);
		}
	}
	const warnings = warned === 0 ? '' : ` (${warned} warning${warned === 1 ? '' : 's'})`;
	ctx.output.line(
		failed === 0
			? `${style.green('Ready.')} All required checks passed${warnings}.`
			: `${style.red(`${failed} check${failed === 1 ? '' : 's'} failed`)}${warnings}; fix ${failed === 1 ? 'it' : 'them'} and run \`agentspace doctor\` again.`,
	);
	return failed === 0 ? ExitCode.Ok : ExitCode.DoctorFailed;
}

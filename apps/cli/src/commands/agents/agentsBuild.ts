import { buildAgent, planBuild, recordDenial } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { canPrompt, confirm, interruptible, withSpinner } from '../../interactive.js';
import { parseSecondsArg } from '../../parseArgs.js';
import { safe } from './describeAgent.js';

/** Options of `agents build`. */
export interface AgentsBuildOptions {
	readonly yes?: boolean;
	readonly timeout?: string;
	readonly verbose?: boolean;
}

// How many lines of output a failed build shows (the whole output is in the log).
const FAILURE_TAIL_LINES = 20;

/**
 * `agents build <id>`: the trust boundary. Shows the exact steps and that they
 * run the agent's code, asks on a terminal (or takes `--yes`), and refuses
 * otherwise. Runs them with a minimal environment and records the outcome.
 */
export async function agentsBuild(
	ctx: CommandContext,
	id: string,
	options: AgentsBuildOptions,
): Promise<ActionResult> {
	const timeoutS =
		options.timeout === undefined
			? undefined
			: parseSecondsArg('--timeout', options.timeout, 1, 86_400);
	const db = openExistingHomeDb(ctx.home);
	try {
		const plan = planBuild(db, id);
		const { style } = ctx.output;
		if (plan.steps.length === 0) {
			ctx.output.data({ id: plan.agent.id, buildId: null, ok: true, steps: [], ran: false });
			ctx.output.line(`${safe(plan.agent.id)} has no build steps: nothing to build.`);
			return;
		}
		// The steps go to stderr in --json mode, so a script's stdout stays one JSON document.
		const show = (text: string) => (ctx.json ? ctx.output.note(text) : ctx.output.line(text));
		show(
			`Building ${safe(plan.agent.id)} ${safe(plan.agent.version)} runs these commands in ${safe(plan.cwd)}:`,
		);
		for (const [index, step] of plan.steps.entries()) {
			show(
				`  ${index + 1}. ${[step.command, ...step.args].map((a) => safe(JSON.stringify(a))).join(' ')}`,
			);
		}
		show(
			style.yellow(
				'They execute the agent’s own code on this machine, as you, without a sandbox (only PATH, LANG, TZ, and a HOME and TMPDIR of its own are passed).',
			),
		);
		if (options.yes !== true) {
			const onTerminal = canPrompt();
			const confirmed = onTerminal && (await confirm('Run them?'));
			if (!confirmed) {
				// Nothing ran, but a refused request to run code is worth a line in the audit log.
				recordDenial(
					db,
					cliActor(),
					{
						eventType: 'security.denied',
						agentId: plan.agent.id,
						metadata: {
							action: 'agents.build',
							reason: onTerminal
								? 'declined at the prompt'
								: 'not confirmed: no --yes, and not on a terminal',
						},
					},
					CLI_SOURCE_APP,
				);
				throw onTerminal
					? new AgentSpaceError('not built: you declined, and nothing was run', {
							code: 'PERMISSION_DENIED',
						})
					: new AgentSpaceError('building runs the agent’s code and needs your confirmation', {
							code: 'PERMISSION_DENIED',
							hint: `review the steps above, then run again with --yes: agentspace agents build ${id} --yes`,
						});
			}
		}
		const tail: string[] = [];
		let lines = 0;
		const result = await interruptible(ctx.output, (signal) =>
			withSpinner(ctx.output, 'building', (update) =>
				buildAgent({
					signal,
					db,
					home: ctx.home,
					id,
					actor: cliActor(),
					sourceApp: CLI_SOURCE_APP,
					expectedManifestHash: plan.manifestHash,
					env: ctx.env,
					...(timeoutS === undefined ? {} : { stepTimeoutMs: Math.round(timeoutS * 1000) }),
					onStep: (index, step) =>
						update(
							`step ${index + 1}/${plan.steps.length}: ${safe(step.command)} ${safe(step.args.join(' '))}`,
						),
					onOutput: (stream, line) => {
						lines += 1;
						tail.push(line);
						if (tail.length > FAILURE_TAIL_LINES) tail.shift();
						if (options.verbose === true && !ctx.json) {
							// The spinner shares the terminal: clear its line first (it is redrawn on its next tick).
							ctx.output.progress(undefined);
							ctx.output.line(style.dim(`  ${stream === 'stderr' ? '!' : '│'} ${safe(line)}`));
						}
					},
				}),
			),
		);
		if (result.ok) {
			const { audit, ...rest } = result;
			ctx.output.data({ ...rest, auditId: audit?.id ?? null });
			ctx.output.line(
				`${style.green('✓')} Built ${safe(result.id)} in ${(result.durationMs / 1000).toFixed(1)} s (${lines} ${lines === 1 ? 'line' : 'lines'} of output).`,
			);
			ctx.output.line(
				style.dim(`Log: ${safe(result.logPath)}. Audited as agents.built (entry ${audit?.id}).`),
			);
			ctx.output.note(`next: agentspace agents enable ${result.id}`);
			return;
		}
		if (options.verbose !== true && !ctx.json && tail.length > 0) {
			ctx.output.line(style.dim(`Last ${tail.length} lines of output:`));
			for (const line of tail) ctx.output.line(style.dim(`  │ ${safe(line)}`));
		}
		// Recorded already (agent_build_failed); the error is how scripts and --json see it.
		throw new AgentSpaceError(
			`build of ${result.id} failed: ${result.failure?.error ?? 'unknown error'}`,
			{
				code: 'COMMAND_FAILED',
				hint: `the whole output is in ${result.logPath}; fix the cause and run \`agentspace agents build ${result.id}\` again`,
			},
		);
	} finally {
		db.$client.close();
	}
}

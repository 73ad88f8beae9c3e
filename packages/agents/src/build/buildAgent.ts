import { ConflictError, generateId } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { agentPaths } from '../agentPaths.js';
import { assertNotRunning } from '../catalog/assertNotRunning.js';
import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { BoundedLog } from './boundedLog.js';
import { buildEnvironment } from './buildEnvironment.js';
import { type BuildStep, planBuild } from './planBuild.js';
import { runStep } from './runStep.js';

/** How long one build step may run before its process group is killed. */
export const DEFAULT_BUILD_STEP_TIMEOUT_MS = 10 * 60_000;

/** Options of {@link buildAgent}. */
export interface BuildOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly id: string;
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
	/** The manifest hash of the plan the user confirmed: a different manifest is refused, not built. */
	readonly expectedManifestHash?: string;
	/** Where PATH, LANG and TZ come from (see buildEnvironment). */
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly stepTimeoutMs?: number;
	/** Called as each step starts. */
	readonly onStep?: (index: number, step: BuildStep) => void;
	/** Aborting stops the running step (SIGTERM, then SIGKILL) and records the build as failed: interrupted. */
	readonly signal?: AbortSignal;
	/** Every line of output, after redaction. */
	readonly onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
}

/** What a build did. */
export interface BuildResult {
	readonly id: string;
	/** Null when the manifest has no build steps (nothing ran, nothing was recorded). */
	readonly buildId: string | null;
	readonly ok: boolean;
	readonly steps: readonly BuildStep[];
	readonly durationMs: number;
	readonly logPath: string | null;
	/** On failure: which step (0-based), how it ended, and why. */
	readonly failure?: {
		readonly stepIndex: number;
		readonly exitCode: number | null;
		readonly signal: string | null;
		readonly error: string;
	};
	readonly audit: AuditRecord | null;
}

/**
 * Runs the agent's build steps: the trust boundary, where the agent's own code
 * first executes. Each step runs as an argv in the checkout, with the minimal
 * environment of `buildEnvironment` and a timeout; all output goes to a
 * bounded, redacted log (`<home>/logs/<id>/build.log`).
 *
 * `agent_build_started` and its `agents.build_started` audit entry (marked as
 * code execution) are committed before the first step runs, so even a build
 * that takes the machine down is on record; `agent_built` or
 * `agent_build_failed` and their audit entry follow. A failed step is a
 * result (`ok: false`), not a throw: it has been recorded.
 */
export async function buildAgent(options: BuildOptions): Promise<BuildResult> {
	const plan = planBuild(options.db, options.id);
	const { agent, steps } = plan;
	if (
		options.expectedManifestHash !== undefined &&
		options.expectedManifestHash !== plan.manifestHash
	) {
		throw new ConflictError('the manifest changed after its build steps were shown', {
			hint: 'run the build again to see the new steps',
		});
	}
	assertNotRunning(agent);
	if (steps.length === 0) {
		return {
			id: agent.id,
			buildId: null,
			ok: true,
			steps,
			durationMs: 0,
			logPath: null,
			audit: null,
		};
	}
	const paths = agentPaths(options.home, agent.id);
	const buildId = generateId('bld');
	const base = {
		actor: options.actor,
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
	};
	recordChange(options.db, {
		...base,
		events: [
			{
				type: 'agent_build_started',
				fields: { agent_id: agent.id, build_id: buildId, steps: [...steps] },
			},
		],
		audit: {
			eventType: 'agents.build_started',
			agentId: agent.id,
			severity: 'warning',
			metadata: {
				codeExecution: true,
				buildId,
				commit: agent.installedCommit,
				cwd: plan.cwd,
				steps: steps.map((s) => [s.command, ...s.args]),
			},
		},
	});

	const env = buildEnvironment(options.env, paths);
	const log = new BoundedLog(paths.buildLog);
	const started = performance.now();
	let failure: BuildResult['failure'];
	try {
		for (const [index, step] of steps.entries()) {
			options.onStep?.(index, step);
			log.line('step', `${index + 1}/${steps.length}: ${[step.command, ...step.args].join(' ')}`);
			const outcome = await runStep(step, {
				cwd: plan.cwd,
				env,
				timeoutMs: options.stepTimeoutMs ?? DEFAULT_BUILD_STEP_TIMEOUT_MS,
				signal: options.signal,
				onLine: (stream, line) => {
					const written = log.line(stream, line);
					options.onOutput?.(stream, written);
				},
			});
			const interrupted = options.signal?.aborted === true;
			// A step that timed out or was interrupted failed, even if it then exited 0 on SIGTERM.
			if (
				outcome.exitCode === 0 &&
				outcome.startError === undefined &&
				!outcome.timedOut &&
				!interrupted
			)
				continue;
			const error =
				(interrupted ? `step ${index + 1} was interrupted` : undefined) ??
				outcome.startError ??
				(outcome.timedOut
					? `step ${index + 1} timed out after ${Math.round((options.stepTimeoutMs ?? DEFAULT_BUILD_STEP_TIMEOUT_MS) / 1000)} s and was killed`
					: outcome.signal !== null
						? `step ${index + 1} was killed by ${outcome.signal}`
						: `step ${index + 1} exited with code ${outcome.exitCode}`);
			log.line('error', error);
			failure = { stepIndex: index, exitCode: outcome.exitCode, signal: outcome.signal, error };
			break;
		}
	} finally {
		log.close();
	}
	const durationMs = Math.round(performance.now() - started);
	const recorded =
		failure === undefined
			? recordChange(options.db, {
					...base,
					events: [
						{
							type: 'agent_built',
							fields: {
								agent_id: agent.id,
								build_id: buildId,
								duration_ms: durationMs,
								log_path: log.path,
							},
						},
					],
					audit: {
						eventType: 'agents.built',
						agentId: agent.id,
						metadata: { codeExecution: true, buildId, durationMs },
					},
				})
			: recordChange(options.db, {
					...base,
					events: [
						{
							type: 'agent_build_failed',
							fields: {
								agent_id: agent.id,
								build_id: buildId,
								step_index: failure.stepIndex,
								exit_code: failure.exitCode,
								signal: failure.signal,
								error: failure.error,
								duration_ms: durationMs,
							},
						},
					],
					audit: {
						eventType: 'agents.build_failed',
						agentId: agent.id,
						severity: 'warning',
						metadata: {
							codeExecution: true,
							buildId,
							durationMs,
							stepIndex: failure.stepIndex,
							error: failure.error,
						},
					},
				});
	return {
		id: agent.id,
		buildId,
		ok: failure === undefined,
		steps,
		durationMs,
		logPath: log.path,
		...(failure === undefined ? {} : { failure }),
		audit: recorded.audit,
	};
}

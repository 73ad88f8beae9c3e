import {
	buildAgent,
	type ChangeActor,
	DEFAULT_STOP_GRACE_MS,
	enableAgent,
	getAgent,
	installAgent,
	RESTART_POLICIES,
	type RestartPolicy,
	requireAgent,
	revokeAgent,
	stopAgent,
} from '@agentspace/agents';
import { isAgentSpaceError, NotFoundError, ValidationError } from '@agentspace/core';
import type { Hono } from 'hono';
import type { Form } from '../security/form.js';
import type { Flash } from '../security/sessionStore.js';
import type { AdminUiDeps, UiEnv } from '../uiContext.js';

function texts(form: Form, field: string): string[] {
	const value = form[field];
	const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
	return values.filter((v): v is string => typeof v === 'string');
}

function text(form: Form, field: string): string | undefined {
	return texts(form, field)[0];
}

/** The manifest hash the page showed: actions on what the user reviewed, nothing newer. */
function reviewedManifest(form: Form): string {
	const hash = text(form, 'manifestHash');
	if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) {
		throw new ValidationError('the form does not say which manifest you reviewed', {
			hint: 'reload the page and submit the form again',
		});
	}
	return hash;
}

type Action = (deps: AdminUiDeps, id: string, form: Form, actor: ChangeActor) => Promise<string>;

/**
 * What each button does. Every one calls the library function the CLI calls
 * (install, build, enable, revoke, stop) or the daemon's supervisor (run), so
 * checks, events and audit entries are the same as from the terminal.
 */
const ACTIONS: Readonly<Record<string, Action>> = {
	install: async (deps, id, _form, actor) => {
		// Only an agent the catalogue knows (discovered or uninstalled): the id is
		// never read as a URL or a path.
		requireAgent(deps.db, id);
		const result = await installAgent({
			db: deps.db,
			home: deps.home,
			source: id,
			actor,
			sourceApp: deps.sourceApp,
			...(deps.userHome === undefined ? {} : { userHome: deps.userHome }),
			...(deps.env.PATH === undefined ? {} : { path: deps.env.PATH }),
		});
		return `Installed ${result.id} ${result.version} at commit ${result.commit.slice(0, 12)}.`;
	},
	build: async (deps, id, form, actor) => {
		const result = await buildAgent({
			db: deps.db,
			home: deps.home,
			id,
			actor,
			sourceApp: deps.sourceApp,
			env: deps.env,
			expectedManifestHash: reviewedManifest(form),
		});
		if (!result.ok) {
			throw new ValidationError(
				`the build failed at step ${(result.failure?.stepIndex ?? 0) + 1}: ${result.failure?.error ?? 'unknown error'}`,
				{ hint: `its output is in ${result.logPath ?? 'the build log'}` },
			);
		}
		return `Built ${id} in ${(result.durationMs / 1000).toFixed(1)} s (${result.steps.length} steps).`;
	},
	enable: async (deps, id, form, actor) => {
		const result = enableAgent({
			db: deps.db,
			id,
			approve: texts(form, 'approve'),
			expectedManifestHash: reviewedManifest(form),
			actor,
			sourceApp: deps.sourceApp,
			...(deps.userHome === undefined ? {} : { userHome: deps.userHome }),
		});
		return `Enabled ${id} with ${result.approved.length} of ${result.approved.length + result.denied.length} requested permissions approved.`;
	},
	revoke: async (deps, id, _form, actor) => {
		const result = revokeAgent({ db: deps.db, id, actor, sourceApp: deps.sourceApp });
		// A run keeps nothing it was granted once the approval is gone: stop it, as the revoker.
		const stopped = await stopAgent({
			db: deps.db,
			supervisor: deps.launcher,
			id: result.id,
			graceMs: DEFAULT_STOP_GRACE_MS,
			actor,
		});
		return `Revoked the approval of ${id} (${result.revoked.length} permissions): it cannot run until enabled again.${stopped.length > 0 ? ' Its run was stopped.' : ''}`;
	},
	run: async (deps, id, form, actor) => {
		const restart = text(form, 'restart') ?? 'no';
		if (!(RESTART_POLICIES as readonly string[]).includes(restart)) {
			throw new ValidationError(`restart must be one of ${RESTART_POLICIES.join(', ')}`, {
				hint: 'choose one in the form',
			});
		}
		const run = await deps.launcher.run(id, restart as RestartPolicy, actor, deps.sourceApp);
		return `Started ${id}: run ${run.runId}, pid ${run.pid}, ${run.sandboxed ? 'sandboxed' : 'unsandboxed'}, restart ${restart}.`;
	},
	stop: async (deps, id, _form, actor) => {
		// As `agents stop`: a run the daemon supervises through it, a foreground run
		// (`agents run --foreground` in a terminal) by signalling its supervisor.
		const [stopped] = await stopAgent({
			db: deps.db,
			supervisor: deps.launcher,
			id,
			graceMs: DEFAULT_STOP_GRACE_MS,
			actor,
		});
		if (stopped === undefined) {
			throw new NotFoundError(`agent "${id}" is not running under the daemon`, {
				hint: 'see what runs: agentspace agents status',
			});
		}
		const exit = stopped.exit;
		return `Stopped ${id}${exit === null ? '' : ` (${exit.signal ?? `exit code ${exit.exitCode}`})`}.`;
	},
};

/**
 * `POST /agents/:id/:action`: runs the action, keeps its outcome as the
 * session's message, and goes back to the agent's page (post, redirect, get:
 * reloading never repeats an action). A refusal by the library (not enabled,
 * drift, a permission it does not request…) is shown with its hint.
 */
export function registerAgentActions(app: Hono<UiEnv>, deps: AdminUiDeps): void {
	app.post('/agents/:id/:action', async (c) => {
		const id = c.req.param('id');
		const name = c.req.param('action');
		const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
		if (action === undefined) return c.text('no such action', 404);
		const session = c.get('session');
		const form = c.get('form');
		let flash: Flash;
		try {
			flash = { kind: 'ok', text: await action(deps, id, form, session.actor) };
		} catch (error) {
			if (!isAgentSpaceError(error)) throw error;
			flash = {
				kind: 'error',
				text: error.message,
				...(error.hint === undefined ? {} : { hint: error.hint }),
			};
		}
		session.flash = flash;
		const back = getAgent(deps.db, id) === undefined ? '/' : `/agents/${encodeURIComponent(id)}`;
		return c.redirect(back, 303);
	});
}

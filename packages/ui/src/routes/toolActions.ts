import { getAgent } from '@agentspace/agents';
import { isAgentSpaceError, loadConfig, ValidationError } from '@agentspace/core';
import { acceptTool, setToolPolicy, type ToolPolicy } from '@agentspace/tools';
import type { Hono } from 'hono';
import type { Form } from '../security/form.js';
import type { Flash, UiSession } from '../security/sessionStore.js';
import type { AdminUiDeps, UiEnv } from '../uiContext.js';
import { agentLine } from '../views/toolText.js';

function field(form: Form, name: string): string | undefined {
	const value = form[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}

/** The tool the form names (a name, or `*` for allow/deny); the registry checks its shape. */
function formTool(form: Form): string {
	const tool = field(form, 'tool');
	if (tool === undefined || tool === '') {
		throw new ValidationError('the form does not say which tool', {
			hint: 'reload the page and use the buttons of the tool; nothing was changed',
		});
	}
	return tool;
}

/** The offered definition the page showed: an accept takes what the user reviewed, nothing newer. */
function reviewedDefinition(form: Form): string {
	const hash = field(form, 'definitionHash');
	if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) {
		throw new ValidationError('the form does not say which definition you reviewed', {
			hint: 'reload the page, review the change and accept it again; nothing was accepted',
		});
	}
	return hash;
}

const LIMITED_NOTE =
	' This overrides the limited-control default (read-only tools only) for this agent.';

/** Whether the config says limited-control (for a note only: a config that does not load says nothing). */
function limitedControl(deps: AdminUiDeps): boolean {
	try {
		return loadConfig({ home: deps.home }).securityMode === 'limited-control';
	} catch {
		return false;
	}
}

type ToolAction = (deps: AdminUiDeps, agentId: string, form: Form, session: UiSession) => string;

function setPolicy(policy: ToolPolicy): ToolAction {
	return (deps, agentId, form, session) => {
		const tool = formTool(form);
		setToolPolicy(deps.db, {
			agentId,
			tool,
			policy,
			actor: session.actor,
			sourceApp: deps.sourceApp,
		});
		const verb = policy === 'allow' ? 'Allowed' : 'Denied';
		if (tool !== '*') return `${verb} ${agentId}/${agentLine(tool, 128)}.`;
		return `${verb} every tool of ${agentId} without a policy of its own.${
			policy === 'allow' && limitedControl(deps) ? LIMITED_NOTE : ''
		}`;
	};
}

/**
 * The tool buttons of the agent page. Each calls the registry function the
 * CLI's `tools allow|deny|accept` calls, as the logged-in person with the
 * UI's sourceApp, so the events and audit entries are the same.
 */
const TOOL_ACTIONS: Readonly<Record<string, ToolAction>> = {
	allow: setPolicy('allow'),
	deny: setPolicy('deny'),
	accept: (deps, agentId, form, session) => {
		const accepted = acceptTool(deps.db, {
			agentId,
			tool: formTool(form),
			expectedHash: reviewedDefinition(form),
			actor: session.actor,
			sourceApp: deps.sourceApp,
		});
		return `Accepted the new definition of ${agentId}/${agentLine(accepted.tool, 128)}: pinned ${accepted.definitionHash.slice(0, 12)} (was ${accepted.previousHash.slice(0, 12)}). It can be called again if its policy allows.`;
	},
};

/**
 * `POST /agents/:id/tools/:action` (allow, deny, accept; the tool in the
 * form): runs the action, keeps its outcome or the library's refusal (with
 * its hint) as the session's message, and goes back to the agent's tools
 * (post, redirect, get). The session and CSRF checks ran before (adminApp).
 */
export function registerToolActions(app: Hono<UiEnv>, deps: AdminUiDeps): void {
	app.post('/agents/:id/tools/:action', (c) => {
		const agentId = c.req.param('id');
		const name = c.req.param('action');
		const action = Object.hasOwn(TOOL_ACTIONS, name) ? TOOL_ACTIONS[name] : undefined;
		if (action === undefined) return c.text('no such action', 404);
		const session = c.get('session');
		let flash: Flash;
		try {
			flash = { kind: 'ok', text: action(deps, agentId, c.get('form'), session) };
		} catch (error) {
			if (!isAgentSpaceError(error)) throw error;
			flash = {
				kind: 'error',
				text: error.message,
				...(error.hint === undefined ? {} : { hint: error.hint }),
			};
		}
		session.flash = flash;
		const known = getAgent(deps.db, agentId) !== undefined;
		return c.redirect(known ? `/agents/${encodeURIComponent(agentId)}#tools` : '/', 303);
	});
}

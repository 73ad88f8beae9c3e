import type { IncomingMessage } from 'node:http';
import type { ChangeActor } from '@agentspace/agents';
import type { DaemonLauncher } from '@agentspace/daemon';
import type { AgentSpaceDb, DenialThrottle } from '@agentspace/db';
import type { AuditVerifier } from './auditVerifier.js';
import type { Form } from './security/form.js';
import type { SessionStore, UiSession } from './security/sessionStore.js';

/** What the admin UI works with: the home's database and the daemon's supervisor. */
export interface AdminUiDeps {
	readonly db: AgentSpaceDb;
	readonly home: string;
	/** Runs and stops go through the daemon's supervisor, like `agents run` / `agents stop`. */
	readonly launcher: DaemonLauncher;
	/** The home's auth token: pasting it on the login page also logs in (as `owner`). */
	readonly authToken: string;
	/** Who a login with the auth token acts as: the OS user the daemon runs as. */
	readonly owner: ChangeActor;
	readonly sessions: SessionStore;
	/** Folds floods of one kind of refusal (see DenialThrottle). */
	readonly denials: DenialThrottle;
	/** The port it listens on: the only Host and Origin it answers to. */
	readonly port: number;
	/** PATH, LANG and TZ for builds (see buildEnvironment), PATH for git. */
	readonly env: Readonly<Record<string, string | undefined>>;
	/** Base of `~` in permissions (default: the OS user's home). */
	readonly userHome?: string;
	/** `sourceApp` of every audit entry the UI writes. */
	readonly sourceApp: string;
	/** Verifies the audit chain for the audit page, from the head it verified last. */
	readonly auditVerifier: AuditVerifier;
}

/**
 * The Hono environment of every route: the session, once sessionGuard found
 * one, and a state-changing request's form, once csrfGuard read it.
 */
export interface UiEnv {
	Variables: { session: UiSession; form: Form };
	/** What the Node adapter passes along (absent when the app is called directly). */
	Bindings: { incoming?: IncomingMessage };
}

/** The only interface the UI ever listens on. */
export const UI_HOSTNAME = '127.0.0.1';

/** `127.0.0.1:<port>`: where the UI listens, as its audit entries name it. */
export function uiAddress(port: number): string {
	return `${UI_HOSTNAME}:${port}`;
}

/** `http://127.0.0.1:<port>/`: the UI's address for a browser. */
export function uiUrl(port: number): string {
	return `http://${uiAddress(port)}/`;
}

/** `sourceApp` of the UI's audit entries. */
export const UI_SOURCE_APP = 'agentspace-ui';

/** Who records what an unauthenticated request tried (a refusal has no logged-in actor). */
export const UI_ACTOR = { type: 'system', id: 'agentspace-ui' } as const;

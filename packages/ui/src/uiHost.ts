import type { Server } from 'node:http';
import type { ChangeActor } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { DaemonLauncher, HostedUi, UiOpened } from '@agentspace/daemon';
import { type AgentSpaceDb, DenialThrottle } from '@agentspace/db';
import { createAdminApp } from './adminApp.js';
import { AuditVerifier } from './auditVerifier.js';
import { auditFoldedRefusals } from './security/refuseRequest.js';
import {
	DEFAULT_SESSION_LIMITS,
	type SessionLimits,
	SessionStore,
} from './security/sessionStore.js';
import { recordUiEvent } from './uiAudit.js';
import { UI_HOSTNAME, UI_SOURCE_APP, uiAddress, uiUrl } from './uiContext.js';
import { createUiServer } from './uiServer.js';

/** The UI's address unless `--port` says otherwise. */
export const DEFAULT_UI_PORT = 6767;

/** Options of {@link createUiHost}. */
export interface UiHostOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly launcher: DaemonLauncher;
	readonly authToken: string;
	/** Who a login with the home's auth token acts as. */
	readonly owner: ChangeActor;
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly userHome?: string;
	readonly sourceApp?: string;
	readonly sessionLimits?: SessionLimits;
	/** Told of server errors after it listens (the daemon's log). */
	readonly log?: (line: string) => void;
}

function listen(server: Server, port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, UI_HOSTNAME, () => {
			server.off('error', reject);
			resolve();
		});
	});
}

function listenError(error: unknown, port: number): AgentSpaceError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'EADDRINUSE') {
		return new AgentSpaceError(`port ${port} on ${UI_HOSTNAME} is already in use`, {
			code: 'CONFLICT',
			hint: 'choose another port: agentspace ui --port <port>',
		});
	}
	return new AgentSpaceError(
		`the UI cannot listen on ${uiAddress(port)}: ${(error as Error).message}`,
		{
			code: code === 'EACCES' ? 'PERMISSION_DENIED' : 'COMMAND_FAILED',
			hint:
				code === 'EACCES'
					? 'ports below 1024 need privileges: choose another, e.g. agentspace ui --port 6767'
					: 'choose another port: agentspace ui --port <port>',
		},
	);
}

interface Listening {
	readonly server: Server;
	readonly port: number;
	readonly sessions: SessionStore;
	readonly denials: DenialThrottle;
}

/**
 * The admin UI as the daemon hosts it: `open(port)` listens on
 * 127.0.0.1:`port` (and nowhere else) and issues a one-time login link;
 * opening it again issues a new link. Asked for another port, it listens
 * there first and only then closes the old one (a busy port leaves the UI
 * where it was). Opens and closes run one at a time. Sessions and login
 * tokens live in memory, per port: closing the UI or the daemon ends them.
 */
export function createUiHost(options: UiHostOptions): HostedUi {
	const sourceApp = options.sourceApp ?? UI_SOURCE_APP;
	const log = options.log ?? (() => {});
	let current: Listening | undefined;
	// Outlives a port move: the head verified last is the host's, not one listener's.
	const auditVerifier = new AuditVerifier();
	// One open or close at a time: concurrent `agentspace ui` calls must not leak a listener.
	let queue: Promise<unknown> = Promise.resolve();
	const serially = <T>(work: () => Promise<T>): Promise<T> => {
		const next = queue.then(work, work);
		queue = next.catch(() => {});
		return next;
	};

	const start = async (port: number): Promise<Listening> => {
		const sessions = new SessionStore(options.sessionLimits ?? DEFAULT_SESSION_LIMITS);
		const denials = new DenialThrottle();
		const app = createAdminApp({
			db: options.db,
			home: options.home,
			launcher: options.launcher,
			authToken: options.authToken,
			owner: options.owner,
			sessions,
			denials,
			port,
			env: options.env,
			...(options.userHome === undefined ? {} : { userHome: options.userHome }),
			sourceApp,
			auditVerifier,
		});
		const server = createUiServer(app, { db: options.db, denials, sourceApp, port });
		try {
			await listen(server, port);
		} catch (error) {
			throw listenError(error, port);
		}
		// After listening, a server error must not take the daemon (and its agents) down.
		server.on('error', (error) => log(`web UI on port ${port}: ${error.message}`));
		return { server, port, sessions, denials };
	};

	const closeServer = (open: Listening): Promise<void> =>
		new Promise<void>((resolve) => {
			open.sessions.clear();
			open.server.close(() => resolve());
			open.server.closeAllConnections();
		});

	/** Closes a listener, then audits it; a failed audit write is logged, never reported as a failed close. */
	const stop = async (open: Listening, actor: ChangeActor): Promise<void> => {
		await closeServer(open);
		try {
			auditFoldedRefusals({
				db: options.db,
				denials: open.denials,
				sourceApp,
				port: open.port,
			});
			await recordUiEvent({ db: options.db, sourceApp }, actor, 'ui.closed', {
				address: uiAddress(open.port),
			});
		} catch (error) {
			log(
				`web UI on port ${open.port} closed, but its audit entry failed: ${(error as Error).message}`,
			);
		}
	};

	return {
		open: (port, actor) =>
			serially(async (): Promise<UiOpened> => {
				let started = false;
				if (current?.port !== port) {
					const next = await start(port);
					try {
						await recordUiEvent({ db: options.db, sourceApp }, actor, 'ui.opened', {
							address: uiAddress(port),
						});
					} catch (error) {
						// Not on record: not open either.
						await closeServer(next);
						throw error;
					}
					const previous = current;
					current = next;
					started = true;
					if (previous !== undefined) await stop(previous, actor);
				}
				const open = current as Listening;
				const url = uiUrl(port);
				const login = open.sessions.issueLoginToken(actor);
				return {
					url,
					loginUrl: `${url}login?token=${login.token}`,
					port,
					loginExpiresAt: new Date(login.expiresAt).toISOString(),
					started,
				};
			}),
		url: () => (current === undefined ? null : uiUrl(current.port)),
		close: (actor) =>
			serially(async () => {
				const open = current;
				if (open === undefined) return false;
				current = undefined;
				await stop(open, actor);
				return true;
			}),
	};
}

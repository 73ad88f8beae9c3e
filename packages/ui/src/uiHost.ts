import type { Server } from 'node:http';
import type { ChangeActor, DaemonLauncher, HostedUi, UiOpened } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { createAdaptorServer } from '@hono/node-server';
import { createAdminApp } from './adminApp.js';
import {
	DEFAULT_SESSION_LIMITS,
	type SessionLimits,
	SessionStore,
} from './security/sessionStore.js';
import { recordUiEvent } from './uiAudit.js';
import { UI_SOURCE_APP } from './uiContext.js';

/** The UI's address unless `--port` says otherwise. */
export const DEFAULT_UI_PORT = 6767;

/** The only interface the UI ever listens on. */
export const UI_HOSTNAME = '127.0.0.1';

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

/**
 * The admin UI as the daemon hosts it: `open(port)` listens on
 * 127.0.0.1:`port` (and nowhere else) and issues a one-time login link;
 * opening it again issues a new link (moving to the new port if it changed).
 * Sessions live in memory: closing the UI or the daemon ends them all.
 */
export function createUiHost(options: UiHostOptions): HostedUi {
	const sessions = new SessionStore(options.sessionLimits ?? DEFAULT_SESSION_LIMITS);
	const sourceApp = options.sourceApp ?? UI_SOURCE_APP;
	let current: { server: Server; port: number } | undefined;

	const stop = async (): Promise<void> => {
		const open = current;
		if (open === undefined) return;
		current = undefined;
		sessions.clear();
		await new Promise<void>((resolve) => {
			open.server.close(() => resolve());
			open.server.closeAllConnections();
		});
	};

	return {
		async open(port: number, actor: ChangeActor): Promise<UiOpened> {
			let started = false;
			if (current?.port !== port) {
				await stop();
				const app = createAdminApp({
					db: options.db,
					home: options.home,
					launcher: options.launcher,
					authToken: options.authToken,
					owner: options.owner,
					sessions,
					port,
					env: options.env,
					...(options.userHome === undefined ? {} : { userHome: options.userHome }),
					sourceApp,
				});
				const server = createAdaptorServer({ fetch: app.fetch }) as Server;
				try {
					await listen(server, port);
				} catch (error) {
					const code = (error as NodeJS.ErrnoException).code;
					throw new AgentSpaceError(
						code === 'EADDRINUSE'
							? `port ${port} on ${UI_HOSTNAME} is already in use`
							: `the UI cannot listen on ${UI_HOSTNAME}:${port}: ${(error as Error).message}`,
						{ code: 'CONFLICT', hint: 'choose another port: agentspace ui --port <port>' },
					);
				}
				current = { server, port };
				started = true;
				await recordUiEvent({ db: options.db, sourceApp }, actor, 'ui.opened', {
					address: `${UI_HOSTNAME}:${port}`,
				});
			}
			const url = `http://${UI_HOSTNAME}:${port}/`;
			const login = sessions.issueLoginToken(actor);
			return {
				url,
				loginUrl: `${url}login?token=${login.token}`,
				port,
				loginExpiresAt: new Date(login.expiresAt).toISOString(),
				started,
			};
		},
		url: () => (current === undefined ? null : `http://${UI_HOSTNAME}:${current.port}/`),
		async close(actor: ChangeActor): Promise<boolean> {
			if (current === undefined) return false;
			const address = `${UI_HOSTNAME}:${current.port}`;
			await stop();
			await recordUiEvent({ db: options.db, sourceApp }, actor, 'ui.closed', { address });
			return true;
		},
	};
}

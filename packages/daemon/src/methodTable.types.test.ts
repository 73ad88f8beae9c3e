import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { callDaemon, type DaemonConnection } from './daemonClient.js';
import type { DaemonMethods, DaemonResults } from './daemonMethods.js';
import { type MethodHandlers, type MethodProgress, method } from './methodTable.js';
import type { SUPERVISOR_METHODS } from './services/supervisorMethods.js';

// Type-level: `pnpm typecheck` compiles this file, and each `@ts-expect-error`
// fails it if the line below it does compile. The tests themselves only run
// the expectTypeOf checks; nothing here reaches a socket.

const ECHO = {
	echo: method<{ readonly said: string }>()(z.strictObject({ text: z.string().max(10) })),
};
type Echo = MethodHandlers<typeof ECHO>;
const said = async ({ text }: { text: string }) => ({ said: text });

describe('the method table', () => {
	it('types each handler by its method: params in, result out', () => {
		const handlers: Echo = { echo: said };
		expectTypeOf(handlers.echo).parameter(0).toEqualTypeOf<{ text: string }>();
		expectTypeOf(handlers.echo).returns.toEqualTypeOf<Promise<{ readonly said: string }>>();
	});

	it('rejects a handler answering the wrong type, a missing handler and a handler of other params', () => {
		// @ts-expect-error `said` must be a string
		const wrongResult: Echo = { echo: async ({ text }) => ({ said: text.length }) };
		// @ts-expect-error a method without a handler
		const missing: Echo = {};
		// @ts-expect-error the handler wants params the schema does not give
		const otherParams: Echo = { echo: async ({ txt }: { txt: string }) => ({ said: txt }) };
		expectTypeOf([wrongResult, missing, otherParams]).toBeArray();
	});

	it('holds the real services to their tables: a supervisor `stop` answering a list does not compile', () => {
		const stopAll: MethodHandlers<typeof SUPERVISOR_METHODS>['stopAll'] = async () => [];
		const handlers: MethodHandlers<typeof SUPERVISOR_METHODS> = {
			run: () => Promise.reject(new Error('not run')),
			// @ts-expect-error `stop` answers one StoppedAgent, not a list
			stop: stopAll,
			stopAll,
		};
		expectTypeOf(handlers).toBeObject();
	});

	it('types callDaemon by the same table: params checked, result derived', () => {
		const connection: DaemonConnection = { socket: '/nonexistent', token: '' };
		const actor = { type: 'human', id: 'tester' } as const;
		// Never called: only compiled.
		const calls = () => [
			// @ts-expect-error graceMs is a number
			callDaemon(connection, 'stop', { id: 'x', graceMs: '5', actor }),
			// @ts-expect-error no such method
			callDaemon(connection, 'restart', {}),
			// @ts-expect-error `stopAll` takes no id
			callDaemon(connection, 'stopAll', { id: 'x', graceMs: 5, actor }),
		];
		expectTypeOf(calls).toBeFunction();
		expectTypeOf(callDaemon<'stop'>).returns.resolves.toEqualTypeOf<DaemonResults['stop']>();
		expectTypeOf<DaemonResults['status']['agents'][number]['id']>().toEqualTypeOf<string>();
		expectTypeOf<DaemonResults['status']['uiUrl']>().toEqualTypeOf<string | null>();
		expectTypeOf<DaemonResults['shutdown']['stopped']>().toEqualTypeOf<DaemonResults['stopAll']>();
	});

	it('types a streaming method’s progress, and gives the others none', () => {
		expectTypeOf<MethodProgress<DaemonMethods, 'toolsCall'>>().toEqualTypeOf<{
			readonly progress: number;
			readonly total?: number;
			readonly message?: string;
		}>();
		expectTypeOf<MethodProgress<DaemonMethods, 'stop'>>().toBeNever();
		expectTypeOf<DaemonResults['toolsCall']['callId']>().toEqualTypeOf<string>();
		const badCall = () =>
			callDaemon({ socket: '', token: '' }, 'toolsCall', {
				// @ts-expect-error a call's target is a string
				target: 1,
				args: {},
				caller: { type: 'human', id: 'x' },
			});
		expectTypeOf(badCall).toBeFunction();
	});
});

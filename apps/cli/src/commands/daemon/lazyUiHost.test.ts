import type { ChangeActor } from '@agentspace/agents';
import type { DaemonLauncher, HostedUi, UiOpened } from '@agentspace/daemon';
import { describe, expect, it } from 'vitest';
import { lazyUiHost } from './lazyUiHost.js';

const actor: ChangeActor = { type: 'human', id: 'tester' };
const launcher: DaemonLauncher = {
	run: () => Promise.reject(new Error('not used')),
	stop: () => Promise.reject(new Error('not used')),
	stopAll: () => Promise.reject(new Error('not used')),
	supervised: () => undefined,
	list: () => [],
};

/** A host that records what was asked of it, in order. */
function recordingHost(calls: string[]): HostedUi {
	let url: string | null = null;
	return {
		open: async (port) => {
			calls.push(`open ${port}`);
			url = `http://127.0.0.1:${port}/`;
			return {
				url,
				loginUrl: `${url}login?token=t`,
				port,
				loginExpiresAt: '',
				started: true,
			} as UiOpened;
		},
		url: () => url,
		close: async () => {
			calls.push('close');
			url = null;
			return true;
		},
	};
}

describe('lazyUiHost', () => {
	it('loads the UI on first open only, and tries again after a failed load', async () => {
		const calls: string[] = [];
		let loads = 0;
		const ui = lazyUiHost({} as never, async () => {
			loads += 1;
			if (loads === 1) throw new Error("Cannot find module 'dist/chunks/ui.js'");
			return { createUiHost: () => recordingHost(calls) };
		})(launcher);
		expect(ui.url()).toBeNull();
		expect(await ui.close(actor)).toBe(false);
		expect(loads).toBe(0);
		await expect(ui.open(6767, actor)).rejects.toMatchObject({
			code: 'COMMAND_FAILED',
			hint: expect.stringMatching(/daemon stop && agentspace ui/),
		});
		expect((await ui.open(6767, actor)).url).toBe('http://127.0.0.1:6767/');
		expect(loads).toBe(2);
		expect(ui.url()).toBe('http://127.0.0.1:6767/');
	});

	it('makes a close asked during the first load wait for it, then close what it opened', async () => {
		const calls: string[] = [];
		let finishLoad: () => void = () => {};
		const loaded = new Promise<void>((resolve) => {
			finishLoad = resolve;
		});
		const ui = lazyUiHost({} as never, async () => {
			await loaded;
			return { createUiHost: () => recordingHost(calls) };
		})(launcher);
		const opening = ui.open(7000, actor);
		const closing = ui.close(actor);
		finishLoad();
		await opening;
		expect(await closing).toBe(true);
		expect(calls).toEqual(['open 7000', 'close']);
		expect(ui.url()).toBeNull();
	});
});

import { describe, expect, it } from 'vitest';
import {
	DEFAULT_BACKOFF,
	decideRestart,
	INITIAL_RESTART_STATE,
	type RestartState,
} from './restartPolicy.js';

const crash = { failed: true, stoppedOnRequest: false, uptimeMs: 10 };

describe('decideRestart', () => {
	it('never restarts a run stopped on request, nor under "no"', () => {
		expect(
			decideRestart('always', { ...crash, stoppedOnRequest: true }, INITIAL_RESTART_STATE).action,
		).toBe('stop');
		expect(decideRestart('no', crash, INITIAL_RESTART_STATE).action).toBe('stop');
	});

	it('restarts on failure only under "on-failure", and after any end under "always"', () => {
		const clean = { failed: false, stoppedOnRequest: false, uptimeMs: 5000 };
		expect(decideRestart('on-failure', clean, INITIAL_RESTART_STATE).action).toBe('stop');
		expect(
			decideRestart('on-failure', { ...clean, failed: true }, INITIAL_RESTART_STATE).action,
		).toBe('restart');
		expect(decideRestart('always', clean, INITIAL_RESTART_STATE).action).toBe('restart');
	});

	it('backs off ×1.5 up to 15 s, and resets after a stable minute', () => {
		let state: RestartState = INITIAL_RESTART_STATE;
		const delays: number[] = [];
		for (let i = 0; i < 14; i++) {
			const decision = decideRestart('always', { ...crash, uptimeMs: 2000 }, state);
			if (decision.action !== 'restart') throw new Error(decision.action);
			delays.push(decision.delayMs);
			state = decision.state;
		}
		expect(delays.slice(0, 4)).toEqual([100, 150, 225, 338]);
		expect(Math.max(...delays)).toBe(15_000);
		expect(delays.at(-1)).toBe(15_000);
		const afterStable = decideRestart('always', { ...crash, uptimeMs: 60_000 }, state);
		expect(afterStable).toMatchObject({ action: 'restart', delayMs: 100 });
	});

	it('gives up as errored after more than 16 crashes within the first second', () => {
		let state: RestartState = INITIAL_RESTART_STATE;
		for (let i = 0; i < DEFAULT_BACKOFF.maxInstantCrashes; i++) {
			const decision = decideRestart('on-failure', crash, state);
			if (decision.action !== 'restart') throw new Error(`gave up after ${i}`);
			state = decision.state;
		}
		expect(decideRestart('on-failure', crash, state)).toMatchObject({ action: 'errored' });
		// One run that stayed up past a second clears the count.
		const longer = decideRestart('on-failure', { ...crash, uptimeMs: 1500 }, state);
		expect(longer).toMatchObject({ action: 'restart', state: { instantCrashes: 0 } });
	});
});

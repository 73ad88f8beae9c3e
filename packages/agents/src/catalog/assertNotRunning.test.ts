import { describe, expect, it } from 'vitest';
import { assertNotRunning } from './assertNotRunning.js';

describe('assertNotRunning', () => {
	it.each(['running', 'unhealthy'])(
		'refuses an agent that is %s (its process is there)',
		(status) => {
			expect(() => assertNotRunning({ id: 'echo', status })).toThrow(
				expect.objectContaining({
					code: 'CONFLICT',
					hint: 'stop it first: agentspace agents stop echo',
				}),
			);
		},
	);

	it.each(['stopped', 'crashed', 'errored', 'enabled', 'built'])(
		'lets an agent that is %s be changed',
		(status) => {
			expect(() => assertNotRunning({ id: 'echo', status })).not.toThrow();
		},
	);
});

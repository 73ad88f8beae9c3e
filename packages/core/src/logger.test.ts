import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(options: Parameters<typeof createLogger>[1] = {}) {
	const lines: string[] = [];
	const logger = createLogger('test', { ...options, write: (line) => lines.push(line) });
	return { logger, lines };
}

describe('createLogger', () => {
	it('writes one JSON object per line with time, level, name and message', () => {
		const { logger, lines } = capture({ level: 'info' });
		logger.info('hello', { runId: 'r1' });
		expect(lines).toHaveLength(1);
		expect(lines[0]?.endsWith('\n')).toBe(true);
		const record = JSON.parse(lines[0] as string);
		expect(record).toMatchObject({ level: 'info', name: 'test', msg: 'hello', runId: 'r1' });
		expect(Date.parse(record.time)).not.toBeNaN();
	});

	it('drops lines below the level', () => {
		const { logger, lines } = capture({ level: 'warn' });
		logger.debug('d');
		logger.info('i');
		logger.warn('w');
		logger.error('e');
		expect(lines.map((l) => JSON.parse(l).level)).toEqual(['warn', 'error']);
	});

	it('takes the level from AGENTSPACE_LOG when no option is given', () => {
		const { logger, lines } = capture({ env: { AGENTSPACE_LOG: 'DEBUG' } });
		expect(logger.level).toBe('debug');
		logger.debug('seen');
		expect(lines).toHaveLength(1);
	});

	it.each(['loud', 'constructor', 'toString'])(
		'ignores the unknown AGENTSPACE_LOG value %j and uses warn',
		(value) => {
			expect(capture({ env: { AGENTSPACE_LOG: value } }).logger.level).toBe('warn');
		},
	);

	it('redacts secrets in messages and fields before writing them', () => {
		const { logger, lines } = capture({ level: 'info' });
		logger.warn('calling with Bearer abcdefghijklmnop', {
			token: 'abcdef123456',
			nested: { password: 'hunter2' },
			ok: 'visible',
		});
		const line = lines[0] as string;
		for (const secret of ['abcdefghijklmnop', 'abcdef123456', 'hunter2'])
			expect(line).not.toContain(secret);
		expect(JSON.parse(line)).toMatchObject({
			token: '[REDACTED]',
			nested: { password: '[REDACTED]' },
			ok: 'visible',
		});
	});

	it.each([
		['debug', ['debug', 'info', 'warn', 'error']],
		['info', ['info', 'warn', 'error']],
		['warn', ['warn', 'error']],
		['error', ['error']],
		['silent', []],
	] as const)('at level %s says which levels it writes: %j', (level, written) => {
		const { logger } = capture({ level });
		const levels = ['debug', 'info', 'warn', 'error'] as const;
		expect(levels.filter((l) => logger.enabled(l))).toEqual(written);
		expect(logger.child('c').enabled('error')).toBe(level !== 'silent');
	});

	it('silent writes nothing', () => {
		const { logger, lines } = capture({ level: 'silent' });
		logger.error('x');
		expect(lines).toEqual([]);
	});

	it('names children after their parent and keeps errors readable', () => {
		const { logger, lines } = capture({ level: 'info' });
		logger.child('db').error('failed', { error: new Error('disk full') });
		expect(JSON.parse(lines[0] as string)).toMatchObject({
			name: 'test:db',
			error: { message: 'disk full' },
		});
	});
});

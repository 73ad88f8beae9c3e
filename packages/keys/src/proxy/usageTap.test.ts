import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, RequestModelTap, UsageTap } from './usageTap.js';

function tap(type: string, text: string, pieceSize: number) {
	const t = new UsageTap(type);
	const bytes = Buffer.from(text);
	for (let i = 0; i < bytes.length; i += pieceSize) t.write(bytes.subarray(i, i + pieceSize));
	return t.end();
}

const anthropicSse = [
	'event: message_start',
	'data: {"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":25,"output_tokens":1}}}',
	'',
	'event: message_delta',
	'data: {"type":"message_delta","usage":{"output_tokens":9}}',
	'',
	'',
].join('\r\n');

describe('UsageTap', () => {
	it.each([1, 3, 7, 1000])(
		'reads Anthropic SSE usage whatever the chunking (%i-byte pieces, CRLF lines)',
		(size) => {
			expect(tap('text/event-stream; charset=utf-8', anthropicSse, size)).toEqual({
				inputTokens: 25,
				outputTokens: 9,
				model: 'claude-x',
			});
		},
	);

	it('reads OpenAI chat JSON usage, and a chunk split inside a multi-byte character', () => {
		const body = JSON.stringify({
			model: 'gpt-é',
			usage: { prompt_tokens: 3, completion_tokens: 4 },
		});
		expect(tap('application/json', body, 1)).toEqual({
			inputTokens: 3,
			outputTokens: 4,
			model: 'gpt-é',
		});
	});

	it('reads Ollama NDJSON usage from the final object', () => {
		const lines = `${JSON.stringify({ model: 'l', done: false })}\n${JSON.stringify({ model: 'l', done: true, prompt_eval_count: 5, eval_count: 6 })}\n`;
		expect(tap('application/x-ndjson', lines, 10)).toEqual({
			inputTokens: 5,
			outputTokens: 6,
			model: 'l',
		});
	});

	it('skips a line longer than the bound and reads the lines after it', () => {
		const long = `data: {"pad":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}\n`;
		const last =
			'data: {"type":"response.completed","response":{"usage":{"input_tokens":1,"output_tokens":2}}}\n';
		expect(tap('text/event-stream', long + last, 64 * 1024)).toEqual({
			inputTokens: 1,
			outputTokens: 2,
		});
	});

	it('reports nothing for a body that is not JSON', () => {
		expect(tap('text/html', '<html>bad gateway</html>', 5)).toEqual({});
	});
});

describe('RequestModelTap', () => {
	it('reads the model and stream flag of a JSON body, and nothing of a body over the bound', () => {
		const small = new RequestModelTap();
		small.write(Buffer.from('{"model":"m1",'));
		small.write(Buffer.from('"stream":true}'));
		expect(small.end()).toEqual({ model: 'm1', stream: true });
		const big = new RequestModelTap();
		big.write(Buffer.from(`{"model":"m2","pad":"${'x'.repeat(4 * 1024 * 1024)}"}`));
		expect(big.end()).toEqual({});
	});
});

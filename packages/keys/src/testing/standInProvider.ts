/**
 * Stand-in provider servers for tests and benches: a real local HTTP server
 * that speaks each wire format the LLM endpoint forwards (Anthropic Messages,
 * OpenAI Chat Completions and Responses, Ollama chat/generate), JSON and
 * streamed, with token usage; it records every request's headers and body,
 * can hold each streamed chunk until the test releases it (so a test can show
 * chunks arrive one by one without timing), can pause between chunks, and
 * can answer with a provider's error bodies (401, 429, 500).
 */
import {
	createServer,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received. */
export interface StandInRequest {
	readonly method: string;
	/** With the query string. */
	readonly path: string;
	readonly headers: IncomingHttpHeaders;
	readonly body: string;
}

/** The usage each wire format's answers report, so tests can check what was recorded. */
export const STAND_IN_USAGE = {
	anthropic: { inputTokens: 11, outputTokens: 7 },
	'openai-chat': { inputTokens: 13, outputTokens: 5 },
	'openai-responses': { inputTokens: 17, outputTokens: 9 },
	ollama: { inputTokens: 19, outputTokens: 4 },
} as const;

/** Options of {@link startStandInProvider}. */
export interface StandInOptions {
	/** Pause between streamed chunks (for benches and demos); default none. */
	readonly chunkDelayMs?: number;
	/** Hold every streamed chunk after the first until {@link StandInProvider.release} (for tests). */
	readonly holdChunks?: boolean;
	/** The words of the answer; one streamed chunk (event) each. Default `['Hello', ' from', ' the', ' stand-in']`. */
	readonly words?: readonly string[];
}

/** A running stand-in provider. */
export interface StandInProvider {
	/** `http://127.0.0.1:<port>`: the base URL to store for the provider. */
	readonly url: string;
	readonly port: number;
	/** Every request received, in order. */
	readonly requests: readonly StandInRequest[];
	/** Answers every later request with this provider error (401, 429 or 500), or normally again with undefined. */
	failWith(status: 401 | 429 | 500 | undefined): void;
	/** Never answers later requests (until called with false): for time-outs and aborts before headers. */
	hang(on: boolean): void;
	/** Breaks later streams after their first chunk (the connection is destroyed): a provider failing mid-stream. */
	cutStreams(on: boolean): void;
	/** Lets one held chunk go (holdChunks). */
	release(): void;
	/** Resolves when the stand-in has written streamed chunk `index` (0-based) of the current stream. */
	chunkWritten(index: number): Promise<void>;
	/** Resolves when a response was closed by the other side before it ended (the proxy aborted it). */
	aborted(): Promise<void>;
	/** How many responses were closed before they ended. */
	readonly abortedCount: number;
	close(): Promise<void>;
}

type Wire = 'anthropic' | 'openai-chat' | 'openai-responses' | 'ollama';

/** Starts a stand-in provider on a free port of 127.0.0.1. */
export async function startStandInProvider(options: StandInOptions = {}): Promise<StandInProvider> {
	const words = options.words ?? ['Hello', ' from', ' the', ' stand-in'];
	const requests: StandInRequest[] = [];
	let failure: 401 | 429 | 500 | undefined;
	let hanging = false;
	let cutting = false;
	let credits = 0;
	let waiting: (() => void) | undefined;
	let written: { index: number; resolve: () => void }[] = [];
	let writtenUpTo = -1;
	let abortedCount = 0;
	let abortWaiters: (() => void)[] = [];
	const held = new Set<ServerResponse>();

	const release = () => {
		if (waiting !== undefined) {
			const go = waiting;
			waiting = undefined;
			go();
		} else credits += 1;
	};
	const nextChunkAllowed = async (index: number): Promise<void> => {
		if (index > 0 && options.chunkDelayMs !== undefined) {
			await new Promise((resolve) => setTimeout(resolve, options.chunkDelayMs));
		}
		if (index === 0 || options.holdChunks !== true) return;
		if (credits > 0) {
			credits -= 1;
			return;
		}
		await new Promise<void>((resolve) => {
			waiting = resolve;
		});
	};
	const markWritten = (index: number) => {
		writtenUpTo = index;
		const ready = written.filter((w) => w.index <= index);
		written = written.filter((w) => w.index > index);
		for (const w of ready) w.resolve();
	};

	async function stream(
		res: ServerResponse,
		type: string,
		pieces: readonly string[],
	): Promise<void> {
		writtenUpTo = -1;
		res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
		for (const [index, piece] of pieces.entries()) {
			await nextChunkAllowed(index);
			if (res.destroyed) return;
			if (cutting) {
				// Once the chunk is on the wire, so the client has a started stream to lose.
				res.write(piece, () => res.destroy());
				markWritten(index);
				return;
			}
			res.write(piece);
			markWritten(index);
		}
		res.end();
	}

	function json(
		res: ServerResponse,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	): void {
		const text = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(text);
	}

	function errorBody(wire: Wire, status: 401 | 429 | 500): unknown {
		const message = { 401: 'invalid x-api-key', 429: 'rate limited', 500: 'internal error' }[
			status
		];
		if (wire === 'anthropic') {
			const type = { 401: 'authentication_error', 429: 'rate_limit_error', 500: 'api_error' }[
				status
			];
			return { type: 'error', error: { type, message } };
		}
		if (wire === 'ollama') return { error: message };
		const type = { 401: 'invalid_request_error', 429: 'rate_limit_error', 500: 'server_error' }[
			status
		];
		return { error: { message, type, param: null, code: null } };
	}

	async function answer(
		wire: Wire,
		body: Record<string, unknown>,
		res: ServerResponse,
	): Promise<void> {
		const model = typeof body.model === 'string' ? body.model : 'stand-in-model';
		const text = words.join('');
		const sse = (event: string | undefined, data: unknown) =>
			`${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
		if (wire === 'anthropic') {
			const usage = STAND_IN_USAGE.anthropic;
			if (body.stream !== true) {
				json(res, 200, {
					id: 'msg_standin',
					type: 'message',
					role: 'assistant',
					model,
					content: [{ type: 'text', text }],
					stop_reason: 'end_turn',
					stop_sequence: null,
					usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
				});
				return;
			}
			await stream(res, 'text/event-stream', [
				sse('message_start', {
					type: 'message_start',
					message: {
						id: 'msg_standin',
						type: 'message',
						role: 'assistant',
						model,
						content: [],
						stop_reason: null,
						stop_sequence: null,
						usage: { input_tokens: usage.inputTokens, output_tokens: 1 },
					},
				}) +
					sse('content_block_start', {
						type: 'content_block_start',
						index: 0,
						content_block: { type: 'text', text: '' },
					}),
				...words.map((w) =>
					sse('content_block_delta', {
						type: 'content_block_delta',
						index: 0,
						delta: { type: 'text_delta', text: w },
					}),
				),
				sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
					sse('message_delta', {
						type: 'message_delta',
						delta: { stop_reason: 'end_turn', stop_sequence: null },
						usage: { output_tokens: usage.outputTokens },
					}) +
					sse('message_stop', { type: 'message_stop' }),
			]);
			return;
		}
		if (wire === 'openai-chat') {
			const usage = STAND_IN_USAGE['openai-chat'];
			const u = {
				prompt_tokens: usage.inputTokens,
				completion_tokens: usage.outputTokens,
				total_tokens: usage.inputTokens + usage.outputTokens,
			};
			const base = { id: 'chatcmpl-standin', object: 'chat.completion.chunk', created: 1, model };
			if (body.stream !== true) {
				json(res, 200, {
					id: 'chatcmpl-standin',
					object: 'chat.completion',
					created: 1,
					model,
					choices: [
						{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
					],
					usage: u,
				});
				return;
			}
			const options = body.stream_options as { include_usage?: boolean } | undefined;
			await stream(res, 'text/event-stream', [
				...words.map((w, i) =>
					sse(undefined, {
						...base,
						choices: [
							{
								index: 0,
								delta: i === 0 ? { role: 'assistant', content: w } : { content: w },
								finish_reason: null,
							},
						],
						...(options?.include_usage === true ? { usage: null } : {}),
					}),
				),
				sse(undefined, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
					(options?.include_usage === true
						? sse(undefined, { ...base, choices: [], usage: u })
						: '') +
					'data: [DONE]\n\n',
			]);
			return;
		}
		if (wire === 'openai-responses') {
			const usage = STAND_IN_USAGE['openai-responses'];
			const response = {
				id: 'resp_standin',
				object: 'response',
				created_at: 1,
				status: 'completed',
				model,
				output: [
					{
						type: 'message',
						id: 'msg_standin',
						status: 'completed',
						role: 'assistant',
						content: [{ type: 'output_text', text, annotations: [] }],
					},
				],
				usage: {
					input_tokens: usage.inputTokens,
					output_tokens: usage.outputTokens,
					total_tokens: usage.inputTokens + usage.outputTokens,
				},
			};
			if (body.stream !== true) {
				json(res, 200, response);
				return;
			}
			await stream(res, 'text/event-stream', [
				sse('response.created', {
					type: 'response.created',
					sequence_number: 0,
					response: { ...response, status: 'in_progress', output: [], usage: null },
				}),
				...words.map((w, i) =>
					sse('response.output_text.delta', {
						type: 'response.output_text.delta',
						sequence_number: i + 1,
						item_id: 'msg_standin',
						output_index: 0,
						content_index: 0,
						delta: w,
					}),
				),
				sse('response.completed', {
					type: 'response.completed',
					sequence_number: words.length + 1,
					response,
				}),
			]);
			return;
		}
		const usage = STAND_IN_USAGE.ollama;
		const final = {
			model,
			created_at: '2026-01-01T00:00:00Z',
			done: true,
			done_reason: 'stop',
			prompt_eval_count: usage.inputTokens,
			eval_count: usage.outputTokens,
		};
		const chat = body.messages !== undefined;
		const piece = (w: string) =>
			chat ? { message: { role: 'assistant', content: w } } : { response: w };
		if (body.stream === false) {
			json(res, 200, { ...final, ...piece(text) });
			return;
		}
		await stream(res, 'application/x-ndjson', [
			...words.map(
				(w) =>
					`${JSON.stringify({ model, created_at: '2026-01-01T00:00:00Z', ...piece(w), done: false })}\n`,
			),
			`${JSON.stringify({ ...final, ...piece('') })}\n`,
		]);
	}

	function wireOf(path: string): Wire | undefined {
		const bare = path.split('?')[0] ?? '';
		if (bare === '/v1/messages') return 'anthropic';
		if (bare === '/v1/chat/completions') return 'openai-chat';
		if (bare === '/v1/responses') return 'openai-responses';
		if (bare === '/api/chat' || bare === '/api/generate') return 'ollama';
		return undefined;
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		const path = req.url ?? '/';
		requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: raw });
		res.once('close', () => {
			if (res.writableFinished) return;
			abortedCount += 1;
			const waiters = abortWaiters;
			abortWaiters = [];
			for (const w of waiters) w();
		});
		if (hanging) {
			held.add(res);
			return;
		}
		const wire = wireOf(path);
		if (wire === undefined) {
			json(res, 404, { error: { message: `the stand-in has no ${path}`, type: 'not_found' } });
			return;
		}
		if (failure !== undefined) {
			json(res, failure, errorBody(wire, failure), failure === 429 ? { 'retry-after': '7' } : {});
			return;
		}
		let body: Record<string, unknown> = {};
		try {
			const parsed: unknown = JSON.parse(raw || '{}');
			if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
		} catch {
			json(res, 400, errorBody(wire, 500));
			return;
		}
		await answer(wire, body, res);
	}

	const server = createServer((req, res) => {
		handle(req, res).catch(() => res.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		failWith(status) {
			failure = status;
		},
		hang(on) {
			hanging = on;
		},
		cutStreams(on) {
			cutting = on;
		},
		release,
		chunkWritten(index) {
			if (writtenUpTo >= index) return Promise.resolve();
			return new Promise((resolve) => written.push({ index, resolve }));
		},
		aborted() {
			return new Promise((resolve) => abortWaiters.push(resolve));
		},
		get abortedCount() {
			return abortedCount;
		},
		async close() {
			for (const res of held) res.destroy();
			waiting?.();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

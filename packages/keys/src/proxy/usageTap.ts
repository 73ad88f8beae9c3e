import { StringDecoder } from 'node:string_decoder';

/** Token usage and model read from a provider's response (each absent when the response did not say). */
export interface Usage {
	readonly inputTokens?: number;
	readonly outputTokens?: number;
	readonly model?: string;
}

/** A whole JSON response larger than this is not parsed for usage (it is still passed on whole). */
export const MAX_JSON_TAP_BYTES = 16 * 1024 * 1024;
/** A stream line (SSE or NDJSON) longer than this is skipped by the tap (never by the client). */
export const MAX_LINE_BYTES = 1024 * 1024;

type Mode = 'json' | 'lines';

/**
 * Reads token usage from a response's bytes as they pass, without holding
 * them up: the proxy writes each chunk to the client first and hands the tap
 * a reference. Bounded: a JSON body is kept only up to {@link MAX_JSON_TAP_BYTES},
 * a stream only line by line (longer lines skipped). Understands Anthropic
 * Messages (JSON, and SSE message_start / message_delta), OpenAI Chat
 * Completions (JSON, and the final streamed chunk with include_usage), OpenAI
 * Responses (JSON, and SSE response.completed) and Ollama (JSON, NDJSON).
 */
export class UsageTap {
	readonly #mode: Mode;
	readonly #decoder = new StringDecoder('utf8');
	#jsonChunks: Buffer[] = [];
	#jsonBytes = 0;
	#line = '';
	#skippingLine = false;
	#input: number | undefined;
	#output: number | undefined;
	#model: string | undefined;

	constructor(contentType: string | undefined) {
		const type = (contentType ?? '').toLowerCase();
		this.#mode = type.includes('text/event-stream') || type.includes('ndjson') ? 'lines' : 'json';
	}

	/** Feeds one chunk of the response body (already sent on). */
	write(chunk: Buffer): void {
		if (this.#mode === 'json') {
			if (this.#jsonBytes + chunk.length > MAX_JSON_TAP_BYTES) {
				this.#jsonChunks = [];
				this.#jsonBytes = Number.POSITIVE_INFINITY;
				return;
			}
			this.#jsonBytes += chunk.length;
			this.#jsonChunks.push(chunk);
			return;
		}
		this.#lines(this.#decoder.write(chunk));
	}

	/** The usage found, once the body has ended. */
	end(): Usage {
		if (this.#mode === 'json') {
			if (Number.isFinite(this.#jsonBytes) && this.#jsonBytes > 0) {
				const text = Buffer.concat(this.#jsonChunks).toString('utf8');
				this.#jsonChunks = [];
				// Ollama answers `stream: true` (its default) as NDJSON under application/json at times: try lines too.
				if (!this.#parse(text)) this.#lines(`${text}\n`);
			}
		} else {
			this.#lines(`${this.#decoder.end()}\n`);
		}
		return {
			...(this.#input === undefined ? {} : { inputTokens: this.#input }),
			...(this.#output === undefined ? {} : { outputTokens: this.#output }),
			...(this.#model === undefined ? {} : { model: this.#model }),
		};
	}

	#lines(text: string): void {
		let start = 0;
		for (;;) {
			const newline = text.indexOf('\n', start);
			if (newline === -1) break;
			const piece = text.slice(start, newline);
			start = newline + 1;
			if (this.#skippingLine) {
				this.#skippingLine = false;
				this.#line = '';
				continue;
			}
			const line = this.#line + piece;
			this.#line = '';
			this.#onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
		}
		if (this.#skippingLine) return;
		this.#line += text.slice(start);
		if (this.#line.length > MAX_LINE_BYTES) {
			this.#line = '';
			this.#skippingLine = true;
		}
	}

	#onLine(line: string): void {
		// SSE: only `data:` lines carry JSON; NDJSON: each line is one object.
		const data = line.startsWith('data:') ? line.slice(5).trim() : line.trim();
		if (data === '' || data === '[DONE]' || !data.startsWith('{')) return;
		this.#parse(data);
	}

	#parse(text: string): boolean {
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			return false;
		}
		if (isObject(value)) this.#apply(value);
		return true;
	}

	#apply(event: Record<string, unknown>): void {
		// Anthropic SSE message_start, OpenAI Responses SSE response.completed: usage and model nest.
		if (event.type === 'message_start' && isObject(event.message)) this.#apply(event.message);
		if (
			typeof event.type === 'string' &&
			event.type.startsWith('response.') &&
			isObject(event.response)
		) {
			this.#apply(event.response);
		}
		if (typeof event.model === 'string' && event.model.length <= 256) this.#model = event.model;
		if (isObject(event.usage)) {
			const u = event.usage;
			this.#input = count(u.input_tokens) ?? count(u.prompt_tokens) ?? this.#input;
			this.#output = count(u.output_tokens) ?? count(u.completion_tokens) ?? this.#output;
		}
		// Ollama: counts on the final object.
		this.#input = count(event.prompt_eval_count) ?? this.#input;
		this.#output = count(event.eval_count) ?? this.#output;
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Reads the `model` of a request body from its first bytes, as they pass on
 * (bounded: bodies over {@link MAX_MODEL_BODY_BYTES} leave the model unknown).
 */
export class RequestModelTap {
	#chunks: Buffer[] = [];
	#bytes = 0;

	/** Feeds one chunk of the request body. */
	write(chunk: Buffer): void {
		if (this.#bytes > MAX_MODEL_BODY_BYTES) return;
		this.#bytes += chunk.length;
		if (this.#bytes > MAX_MODEL_BODY_BYTES) this.#chunks = [];
		else this.#chunks.push(chunk);
	}

	/** The request's model and whether it asked to stream, when its body was JSON small enough to read. */
	end(): { readonly model?: string; readonly stream?: boolean } {
		if (this.#bytes === 0 || this.#bytes > MAX_MODEL_BODY_BYTES) return {};
		try {
			const body: unknown = JSON.parse(Buffer.concat(this.#chunks).toString('utf8'));
			this.#chunks = [];
			if (!isObject(body)) return {};
			return {
				...(typeof body.model === 'string' && body.model.length <= 256
					? { model: body.model }
					: {}),
				...(typeof body.stream === 'boolean' ? { stream: body.stream } : {}),
			};
		} catch {
			return {};
		}
	}
}

/** Request bodies up to this size are read for their model. */
export const MAX_MODEL_BODY_BYTES = 4 * 1024 * 1024;

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AgentSpaceDb } from '@agentspace/db';
import { type ProviderId, type ProviderSpec, providerForPath, providerSpec } from '../providers.js';
import {
	clientResponseHeaders,
	presentedCredential,
	upstreamRequestHeaders,
} from './forwardHeaders.js';
import { KeyAccessLog } from './keyAccessLog.js';
import type { KeyLimitSetting } from './limitTracker.js';
import { LimitTracker } from './limitTracker.js';
import type { LlmAuth, LlmGrant, LlmRefusal, LlmRunCaller } from './llmCaller.js';
import { type ProxyErrorKind, providerErrorBody } from './providerErrors.js';
import { FoldedAudit, seedLimitTracker } from './proxyAudit.js';
import { parseRequestTarget, shownBaseUrl, upstreamUrl } from './requestTarget.js';
import { RequestModelTap, UsageTap } from './usageTap.js';

const MAX_REMEMBERED_APPROVALS = 4096;
/** The largest request body the endpoint forwards by default: 32 MiB (Anthropic's own request limit). */
export const MAX_REQUEST_BODY_BYTES = 32 * 1024 * 1024;
/** Requests one run may have in flight by default: an agent's SDK pools hold a handful. */
export const MAX_IN_FLIGHT_PER_RUN = 64;
/** Requests the endpoint serves at once by default (each door takes 1024 connections). */
export const MAX_IN_FLIGHT = 512;

/** What the endpoint needs of a provider's stored key: where to send requests, and the key (none for ollama). */
export interface ProxyKeyRecord {
	readonly value?: string;
	readonly baseUrl: string;
}

/** Options of {@link createLlmProxy}. */
export interface LlmProxyOptions {
	readonly db: AgentSpaceDb;
	/** The provider key records: the store's `readProviderKey(db, vault, provider)`. */
	readKey(provider: ProviderId): Promise<ProxyKeyRecord | undefined>;
	/** An agent's limits to a provider: the store's `keyLimitFor(db, agentId, provider)`; read per request. */
	limitFor(agentId: string, provider: ProviderId): KeyLimitSetting | undefined;
	/** Who presented this credential (daemon: the run registry, then verifyKeyToken). */
	authenticate(presented: string | undefined): LlmAuth;
	/**
	 * limited-control gate for a run's first use of a provider; resolves true to go on. Absent: no
	 * gate. Called for each waiting request with that request's signal (aborted when its client
	 * leaves): the gate shares one question between them and holds its answers (a denial holds for
	 * the run); the endpoint keeps only the approvals.
	 */
	approveFirstUse?(
		caller: LlmRunCaller,
		provider: ProviderId,
		signal: AbortSignal,
	): Promise<boolean>;
	readonly now?: () => number;
	/** Time to the provider's response headers (default 120 s, then 504); a stream is never cut while bytes flow. */
	readonly upstreamTimeoutMs?: number;
	/** The largest request body forwarded (default {@link MAX_REQUEST_BODY_BYTES}); larger: 413. */
	readonly maxRequestBodyBytes?: number;
	/** How long a request body may send nothing before it is refused with 408 (default 60 s). */
	readonly requestIdleTimeoutMs?: number;
	/** Requests one run may have in flight, waiting ones included (default {@link MAX_IN_FLIGHT_PER_RUN}); more: 429. */
	readonly maxInFlightPerRun?: number;
	/** Requests the endpoint serves at once, all callers (default {@link MAX_IN_FLIGHT}); more: 503. */
	readonly maxInFlight?: number;
	/** The folding window of refusal audits (default 10 s). */
	readonly refusalWindowMs?: number;
	/** How long a `key_accessed` entry may wait to be written with others (default 10 ms). */
	readonly accessGroupMs?: number;
	readonly sourceApp?: string;
	/** Told when an audit write fails. */
	readonly log?: (line: string) => void;
}

/** The running endpoint: a request handler for node:http servers (TCP and the unix socket). */
export interface LlmProxy {
	handle(req: IncomingMessage, res: ServerResponse): void;
	/** Requests handled since the start, and those in flight. */
	stats(): { readonly requests: number; readonly inFlight: number };
	/** Writes the `key_accessed` entries still waiting for their group (close does too). */
	flushAudit(): void;
	/** Ends requests in flight, writes the waiting and folded audits, closes the keep-alive connections. */
	close(): Promise<void>;
}

/**
 * The local LLM endpoint: authenticates a run (or a key token), checks its
 * `llm:<provider>` grant, its first-use approval and its limits, then
 * forwards the request to the provider with the real key, passing the
 * response back byte for byte as it arrives (SSE and chunked streams
 * included) while a bounded tap reads the token usage for the audit log.
 */
export function createLlmProxy(options: LlmProxyOptions): LlmProxy {
	const now = options.now ?? Date.now;
	const timeoutMs = options.upstreamTimeoutMs ?? 120_000;
	const maxBody = options.maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES;
	const bodyIdleMs = options.requestIdleTimeoutMs ?? 60_000;
	const maxPerRun = options.maxInFlightPerRun ?? MAX_IN_FLIGHT_PER_RUN;
	const maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
	// Requests in flight per run (waiting at the gate included), so one agent cannot starve the others.
	const runInFlight = new Map<string, number>();
	const tooLarge = `the request body is larger than ${Math.floor(maxBody / (1024 * 1024))} MiB, the most the endpoint forwards (see specs/keys.md "Limits")`;
	const tracker = new LimitTracker(now);
	seedLimitTracker(options.db, tracker, now());
	const auditOptions = {
		...(options.log === undefined ? {} : { log: options.log }),
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		...(options.refusalWindowMs === undefined ? {} : { windowMs: options.refusalWindowMs }),
	};
	const authFailed = new FoldedAudit(options.db, 'auth_failed', 'security', auditOptions);
	const denied = new FoldedAudit(options.db, 'security.denied', 'security', auditOptions);
	const limited = new FoldedAudit(options.db, 'key_limited', 'warning', auditOptions);
	const accesses = new KeyAccessLog(options.db, {
		now,
		...(options.log === undefined ? {} : { log: options.log }),
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		...(options.accessGroupMs === undefined ? {} : { groupMs: options.accessGroupMs }),
	});
	const agents = {
		http: new http.Agent({ keepAlive: true }),
		https: new https.Agent({ keepAlive: true }),
	};
	// Run/provider pairs the gate approved: they pass without asking it again. Only approvals are
	// kept here; anything else is the gate's to answer (it holds a denial for the run itself).
	const approvals = new Set<string>();
	const inFlight = new Set<ServerResponse>();
	let requests = 0;

	function fail(
		res: ServerResponse,
		spec: ProviderSpec | undefined,
		status: number,
		kind: ProxyErrorKind,
		message: string,
		headers: Record<string, string> = {},
	): void {
		if (res.headersSent) {
			res.destroy();
			return;
		}
		const body = providerErrorBody(spec?.wire, kind, message);
		res.writeHead(status, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(body),
			...headers,
		});
		res.end(body);
	}

	async function approved(
		caller: LlmRunCaller,
		grant: LlmGrant,
		signal: AbortSignal,
	): Promise<boolean> {
		const { provider } = grant;
		if (grant.remembered || options.approveFirstUse === undefined) return true;
		const key = `${caller.runId}\u0000${provider}`;
		if (approvals.has(key)) return true;
		// Each waiting request asks with its own signal: the gate shares one question between them,
		// and a request stops waiting only when its own client leaves.
		const ok = await options.approveFirstUse(caller, provider, signal);
		if (ok) {
			// Runs end; keep the answers of the most recent ones only (an ended run's token is refused anyway).
			if (approvals.size >= MAX_REMEMBERED_APPROVALS) {
				const oldest = approvals.values().next().value;
				if (oldest !== undefined) approvals.delete(oldest);
			}
			approvals.add(key);
		}
		return ok;
	}

	async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = now();
		const method = req.method ?? 'GET';
		// Taken as sent, never normalised: what is routed is what is forwarded.
		const url = parseRequestTarget(req.url);
		if (!url.ok) {
			req.resume();
			fail(
				res,
				undefined,
				400,
				'invalid-request',
				`${url.reason}; send /<provider>/<path> (see specs/keys.md "Endpoint")`,
				{ connection: 'close' },
			);
			return;
		}
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > maxBody) {
			// Not read: the connection closes after the answer.
			fail(res, undefined, 413, 'too-large', tooLarge, { connection: 'close' });
			return;
		}
		const route = providerForPath(url.path);
		if (route === undefined) {
			req.resume();
			fail(
				res,
				undefined,
				404,
				'not-found',
				`no provider at ${url.path.slice(0, 64)}; use /anthropic, /openai, /ollama or /openai-compatible/<name> (see specs/keys.md "Endpoint")`,
			);
			return;
		}
		const { provider, rest } = route;
		const spec = providerSpec(provider);
		const auth = options.authenticate(presentedCredential(req.headers));
		if (!auth.ok) {
			req.resume();
			authFailed.record(auth.refusal, refusalReason(auth.refusal), {
				provider,
				method: method.slice(0, 16),
				path: url.path.slice(0, 256),
			});
			fail(res, spec, 401, 'authentication', refusalMessage(auth.refusal));
			return;
		}
		const caller = auth.caller;
		if (caller.kind === 'run') {
			const held = runInFlight.get(caller.runId) ?? 0;
			if (held >= maxPerRun) {
				req.resume();
				limited.record(`${caller.agentId}:in-flight`, 'too many requests in flight', {
					provider,
					agentId: caller.agentId,
					runId: caller.runId,
					limit: 'in_flight',
				});
				fail(
					res,
					spec,
					429,
					'rate-limit',
					`agent ${caller.agentId}'s run has ${maxPerRun} requests in flight through the endpoint, the most one run may have; wait for one to finish`,
					{ 'retry-after': '1' },
				);
				return;
			}
			runInFlight.set(caller.runId, held + 1);
			res.once('close', () => {
				const left = (runInFlight.get(caller.runId) ?? 1) - 1;
				if (left <= 0) runInFlight.delete(caller.runId);
				else runInFlight.set(caller.runId, left);
			});
			// Not approved for the provider, or its first use was not: 403, audited with the kind as the reason.
			const deny = (kind: 'llm-not-approved' | 'llm-use-denied', message: string) => {
				req.resume();
				denied.record(kind, kind, { provider, agentId: caller.agentId, runId: caller.runId });
				fail(res, spec, 403, 'permission', message);
			};
			const grant = caller.providers.find((g) => g.provider === provider);
			if (grant === undefined) {
				deny(
					'llm-not-approved',
					`agent ${caller.agentId} is not approved for llm:${provider}; add llm:${provider} to its manifest's permissions and run \`agentspace agents enable ${caller.agentId}\``,
				);
				return;
			}
			const abort = new AbortController();
			const onClose = () => abort.abort();
			res.once('close', onClose);
			let ok: boolean;
			try {
				ok = await approved(caller, grant, abort.signal);
			} catch {
				ok = false;
			}
			res.off('close', onClose);
			if (res.destroyed) return;
			if (!ok) {
				deny(
					'llm-use-denied',
					`agent ${caller.agentId}'s use of ${provider} was not approved; approve it with \`agentspace keys approve ${caller.agentId} ${provider}\`, or enable the agent with --remember`,
				);
				return;
			}
			const over = tracker.admit(
				caller.agentId,
				provider,
				options.limitFor(caller.agentId, provider),
			);
			if (over !== undefined) {
				req.resume();
				limited.record(`${caller.agentId}:${provider}:${over.limit}`, over.message, {
					provider,
					agentId: caller.agentId,
					runId: caller.runId,
					limit: over.limit,
					retryAfterSeconds: over.retryAfterSeconds,
				});
				fail(res, spec, 429, 'rate-limit', over.message, {
					'retry-after': String(over.retryAfterSeconds),
				});
				return;
			}
		}
		// Ollama needs no key: without a stored record it is at its default address.
		const key =
			(await options.readKey(provider)) ??
			(!spec.needsKey && spec.defaultBaseUrl !== undefined
				? { baseUrl: spec.defaultBaseUrl }
				: undefined);
		const modelTap = new RequestModelTap();
		let usageTap: UsageTap | undefined;
		let status = 0;
		let streamed = false;
		let audited = false;
		const finish = (ownStatus?: number) => {
			if (audited) return;
			audited = true;
			const usage = usageTap?.end() ?? {};
			const requested = modelTap.end();
			const model = requested.model ?? usage.model;
			if (caller.kind === 'run') {
				tracker.addTokens(
					caller.agentId,
					provider,
					(usage.inputTokens ?? 0) + (usage.outputTokens ?? 0),
				);
			}
			accesses.record({
				provider,
				caller,
				...(model === undefined ? {} : { model }),
				status: ownStatus ?? status,
				durationMs: Math.max(0, now() - started),
				...(usage.inputTokens === undefined ? {} : { inputTokens: usage.inputTokens }),
				...(usage.outputTokens === undefined ? {} : { outputTokens: usage.outputTokens }),
				stream: streamed || requested.stream === true,
				path: `${spec.routePrefix}${rest}`,
			});
		};
		if (res.destroyed) {
			// The client left while the key was read: nothing to forward.
			finish(499);
			return;
		}
		if (key === undefined || (spec.needsKey && key.value === undefined)) {
			req.resume();
			const message = `no ${provider} key is stored; add one with \`agentspace keys add ${provider}\``;
			fail(res, spec, 503, 'internal', message);
			finish(503);
			return;
		}
		// Errors go to the agent: a base URL's user and password are never in them. Made only for an
		// error (each of these drops the base URL's trailing slashes itself).
		const shown = () => shownBaseUrl(key.baseUrl);
		// Checked to stay on the stored base URL's scheme, host, port, user and path.
		const target = upstreamUrl(key.baseUrl, rest, url.search);
		if (target === undefined) {
			req.resume();
			fail(
				res,
				spec,
				502,
				'bad-gateway',
				`the ${provider} base URL ${shown()} is not an http(s) URL this path can go under; fix it with \`agentspace keys rotate ${provider} --base-url <url>\``,
			);
			finish(502);
			return;
		}
		const secure = target.protocol === 'https:';
		const upstream = (secure ? https : http).request(target, {
			method,
			headers: upstreamRequestHeaders(req.headers, spec, spec.needsKey ? key.value : undefined),
			agent: secure ? agents.https : agents.http,
		});
		let timedOut = false;
		// The request body went over its bounds: the upstream request is dropped, the answer is ours.
		const refuseBody = (code: 408 | 413, kind: ProxyErrorKind, message: string) => {
			if (timedOut) return;
			timedOut = true;
			clearTimeout(timer);
			clearTimeout(idle);
			req.unpipe(upstream);
			upstream.destroy();
			fail(res, spec, code, kind, message, { connection: 'close' });
			finish(code);
		};
		const timer = setTimeout(() => {
			timedOut = true;
			upstream.destroy();
			fail(
				res,
				spec,
				504,
				'timeout',
				`${provider} at ${shown()} sent no response in ${Math.round(timeoutMs / 1000)} s`,
			);
			finish(504);
		}, timeoutMs);
		timer.unref();
		// The client went away (or the response ended): nothing more to fetch.
		res.once('close', () => {
			clearTimeout(timer);
			if (!res.writableFinished) {
				upstream.destroy();
				finish(status === 0 ? 499 : status);
			}
		});
		upstream.on('error', (error) => {
			clearTimeout(timer);
			if (timedOut) return;
			if (res.headersSent) {
				// Mid-stream: the client must see the stream break, not a clean end.
				res.destroy();
				finish(status);
				return;
			}
			if (res.destroyed) return;
			fail(
				res,
				spec,
				502,
				'bad-gateway',
				`could not reach ${provider} at ${shown()} (${(error as NodeJS.ErrnoException).code ?? error.message}); check the provider is up, or its base URL (\`agentspace keys list\`)`,
			);
			finish(502);
		});
		upstream.on('response', (answer) => {
			clearTimeout(timer);
			status = answer.statusCode ?? 502;
			const type = answer.headers['content-type'];
			streamed = /event-stream|ndjson/i.test(String(type ?? ''));
			usageTap = new UsageTap(typeof type === 'string' ? type : undefined);
			res.writeHead(status, answer.statusMessage, clientResponseHeaders(answer.headers));
			// A stream's headers go now, so its client knows it started before its first event. Any
			// other body's go with its first bytes: a client reads no JSON before its end, and one
			// socket write is cheaper than two. node:http servers set no-delay: nothing waits on Nagle.
			if (streamed) res.flushHeaders();
			answer.on('data', (chunk: Buffer) => {
				// The client first; the tap only reads a reference.
				if (!res.write(chunk)) {
					answer.pause();
					res.once('drain', () => answer.resume());
				}
				usageTap?.write(chunk);
			});
			answer.on('end', () => {
				res.end();
				finish();
			});
			answer.on('error', () => res.destroy());
			answer.on('aborted', () => res.destroy());
		});
		const stalled = () =>
			refuseBody(
				408,
				'timeout',
				`the request body sent nothing for ${Math.round(bodyIdleMs / 1000)} s; the request was dropped`,
			);
		const idle = setTimeout(stalled, bodyIdleMs);
		idle.unref();
		let received = 0;
		req.on('data', (chunk: Buffer) => {
			received += chunk.length;
			if (received > maxBody) {
				refuseBody(413, 'too-large', tooLarge);
				return;
			}
			idle.refresh();
			modelTap.write(chunk);
		});
		req.once('end', () => clearTimeout(idle));
		req.once('close', () => clearTimeout(idle));
		req.pipe(upstream);
	}

	return {
		handle(req, res) {
			requests += 1;
			if (inFlight.size >= maxInFlight) {
				req.resume();
				fail(
					res,
					undefined,
					503,
					'overloaded',
					`the endpoint is serving ${maxInFlight} requests, the most it serves at once; try again shortly`,
					{ 'retry-after': '1', connection: 'close' },
				);
				return;
			}
			inFlight.add(res);
			res.once('close', () => inFlight.delete(res));
			serve(req, res).catch((error: unknown) => {
				options.log?.(`llm endpoint: ${(error as Error).message}`);
				fail(res, undefined, 500, 'internal', 'the endpoint failed; see the daemon log');
			});
		},
		stats() {
			return { requests, inFlight: inFlight.size };
		},
		flushAudit() {
			accesses.flush();
		},
		async close() {
			for (const res of inFlight) res.destroy();
			// The requests just ended record their entries as their responses close.
			await new Promise<void>((resolve) => setImmediate(resolve));
			accesses.flush();
			authFailed.close();
			denied.close();
			limited.close();
			agents.http.destroy();
			agents.https.destroy();
		},
	};
}

function refusalReason(refusal: LlmRefusal): string {
	return {
		'no-token': 'no credential presented',
		'wrong-token': 'unknown credential',
		'expired-token': 'expired key token',
		'revoked-token': 'revoked key token',
		'ended-run': "the run's session has ended",
	}[refusal];
}

function refusalMessage(refusal: LlmRefusal): string {
	switch (refusal) {
		case 'no-token':
			return "no credential; send the run's session token (ANTHROPIC_API_KEY / OPENAI_API_KEY as set by AgentSpace) or a key token from `agentspace keys token`";
		case 'expired-token':
			return 'this key token has expired; mint a new one with `agentspace keys token`';
		case 'revoked-token':
			return 'this key token was revoked; mint a new one with `agentspace keys token`';
		case 'ended-run':
			return "this run's session has ended; its credential is no longer valid";
		default:
			return 'unknown credential; use the session token AgentSpace gave the run, or a key token from `agentspace keys token`';
	}
}

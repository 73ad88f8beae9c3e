#!/usr/bin/env node
// LLM endpoint benchmark: the daemon's provider-key proxy against the same
// stand-in provider called directly, in one run.
//
//   node bench/llmProxy.bench.mjs [--streams N] [--json]
//   AGENTSPACE_BENCH_QUICK=1 node bench/llmProxy.bench.mjs
//
// A real daemon serves the LLM endpoint (127.0.0.1:<free port>) for a home
// whose anthropic and openai keys point at local stand-in providers
// (@agentspace/keys/testing: each provider's wire format, usage blocks, SSE).
// The client is a user token (`agentspace keys token`) over keep-alive HTTP;
// the direct path presents the real key to the stand-in itself.
// 1. Non-streaming: POST /v1/messages one at a time, the two paths
//    interleaved in blocks: p50 / p99 of each; added = proxy − direct at the
//    same percentile. Target: p50 ≤ 1 ms added.
// 2. Time to first streamed byte: the same request with stream: true, to the
//    first body byte (the stand-in writes its first event at once).
//    Target: ≤ 2 ms added at the median.
// 3. N (200) concurrent streams through the proxy (OpenAI chat completions
//    with include_usage, 20 chunks 50 ms apart, one connection each): every one
//    must end with its usage and [DONE]; the daemon's peak RSS while they run
//    (/proc/<pid>/status VmRSS, sampled every 20 ms). Target: under 120 MB.
// Every proxied request must be audited key_accessed, or the bench is broken.
//
// Informational, not gating: a missed target prints MISS and still exits 0;
// only a broken benchmark (an error, a failed stream) exits 1. Everything
// runs in temporary directories removed at the end; the daemon is stopped
// (killed if it will not stop).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { startStandInProvider } from '@agentspace/keys/testing';
import { freePort } from '@agentspace/testing';

import {
	benchArgs,
	benchHome,
	cliRunner,
	countRows,
	endBench,
	logger,
	percentileRow,
	round,
	stopBenchDaemon,
	summarize,
	verdict,
	waitFor,
} from './benchCli.mjs';

const { quick: QUICK, json, option } = benchArgs();
const CONCURRENT_STREAMS = option('--streams', 200);
const LATENCY_CALLS = QUICK ? 600 : 3000; // per path
const FIRST_BYTES = QUICK ? 300 : 1500; // per path
const BLOCK = 100;
const WARMUP = 300;
const SLOW_WORDS = 20;
const SLOW_CHUNK_MS = 50;
const RSS_SAMPLE_MS = 20;
const TARGET_P50_MS = 1;
const TARGET_FIRST_BYTE_MS = 2;
const TARGET_RSS_MB = 120;

const { bin, root, home, env } = benchHome('agentspace-bench-llm-');
const ANTHROPIC_KEY = `sk-ant-bench-${Math.random().toString(36).slice(2)}`;
const OPENAI_KEY = `sk-bench-${Math.random().toString(36).slice(2)}`;

const log = logger(json);

const { cli, cliJson } = cliRunner({ bin, home, env, timeoutMs: 60_000 });

/** `agentspace <argv>` with `input` on stdin (a key's value is never an argument). */
function cliWithInput(argv, input) {
	const result = spawnSync(process.execPath, [bin, '--home', home, ...argv], {
		env,
		input,
		encoding: 'utf8',
		timeout: 60_000,
	});
	if (result.status !== 0)
		throw new Error(`agentspace ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
	return result.stdout;
}

/**
 * POST `body` to `port` `path` with `headers`; resolves with the status, the
 * milliseconds to the response's first body byte and to its end, and the body.
 */
function post(agent, port, path, headers, body) {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const req = request(
			{
				agent,
				host: '127.0.0.1',
				port,
				path,
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
			},
			(res) => {
				let firstByteMs;
				const chunks = [];
				res.on('data', (chunk) => {
					firstByteMs ??= performance.now() - started;
					chunks.push(chunk);
				});
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						firstByteMs,
						totalMs: performance.now() - started,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** The two paths' summaries side by side, with what the proxy adds at p50 and p99. */
function compared(direct, proxy) {
	return {
		direct,
		proxy,
		addedP50Ms: round(proxy.p50Ms - direct.p50Ms, 4),
		addedP99Ms: round(proxy.p99Ms - direct.p99Ms, 4),
		ratioP50: round(proxy.p50Ms / direct.p50Ms, 2),
	};
}

/** Daemon RSS in MB (/proc/<pid>/status VmRSS), or undefined when unreadable. */
function rssMb(pid) {
	try {
		const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb === undefined ? undefined : Number(kb) / 1024;
	} catch {
		return undefined;
	}
}

const standIns = [];
let daemonPid;
let broken;
let report;
try {
	const fast = await startStandInProvider();
	const slow = await startStandInProvider({
		chunkDelayMs: SLOW_CHUNK_MS,
		words: Array.from({ length: SLOW_WORDS }, (_, i) => ` word${i}`),
	});
	standIns.push(fast, slow);
	const port = await freePort();
	log(`a home with its keys at the stand-ins (anthropic ${fast.url}, openai ${slow.url})…`);
	cli(['config', 'set', 'apiEndpoint.port', String(port)]);
	cliWithInput(['keys', 'add', 'anthropic', '--base-url', fast.url], `${ANTHROPIC_KEY}\n`);
	cliWithInput(['keys', 'add', 'openai', '--base-url', slow.url], `${OPENAI_KEY}\n`);
	daemonPid = cliJson(['daemon', 'start']).pid;
	await waitFor(() => cliJson(['keys', 'serve']).state === 'serving', 'the LLM endpoint', 30_000);
	const token = cliJson(['keys', 'token']).token;
	if (typeof token !== 'string') throw new Error('agentspace keys token --json gave no token');

	const message = JSON.stringify({
		model: 'claude-sonnet-4-5',
		max_tokens: 64,
		messages: [{ role: 'user', content: 'Say hello.' }],
	});
	const streamMessage = JSON.stringify({ ...JSON.parse(message), stream: true });
	const anthropicHeaders = { 'anthropic-version': '2023-06-01' };
	const directAgent = new Agent({ keepAlive: true, maxSockets: 1 });
	const proxyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
	let proxied = 0;
	const direct = (body) =>
		post(
			directAgent,
			fast.port,
			'/v1/messages',
			{ ...anthropicHeaders, 'x-api-key': ANTHROPIC_KEY },
			body,
		);
	const proxy = async (body) => {
		proxied++;
		return post(
			proxyAgent,
			port,
			'/anthropic/v1/messages',
			{ ...anthropicHeaders, 'x-api-key': token },
			body,
		);
	};
	const checked = async (call, body) => {
		const result = await call(body);
		if (result.status !== 200)
			throw new Error(`status ${result.status}: ${result.body.slice(0, 500)}`);
		return result;
	};

	/** `n` requests of each path, one at a time, interleaved in blocks; the samples `pick` takes. */
	const interleaved = async (body, n, pick) => {
		const samples = { direct: [], proxy: [] };
		for (let done = 0; done < n; done += BLOCK) {
			for (let i = 0; i < BLOCK; i++) samples.direct.push(pick(await checked(direct, body)));
			for (let i = 0; i < BLOCK; i++) samples.proxy.push(pick(await checked(proxy, body)));
		}
		return samples;
	};

	log(`warming up (${WARMUP} requests each)…`);
	await interleaved(message, WARMUP, (r) => r.totalMs);
	log(`non-streaming: ${LATENCY_CALLS} requests each, one at a time, in blocks of ${BLOCK}…`);
	const latency = await interleaved(message, LATENCY_CALLS, (r) => r.totalMs);
	log(`streaming: time to first byte, ${FIRST_BYTES} streams each…`);
	const firstByte = await interleaved(streamMessage, FIRST_BYTES, (r) => r.firstByteMs);
	const directLatency = summarize(latency.direct);
	const proxyLatency = summarize(latency.proxy);
	const directFirst = summarize(firstByte.direct);
	const proxyFirst = summarize(firstByte.proxy);
	directAgent.destroy();
	proxyAgent.destroy();

	log(
		`${CONCURRENT_STREAMS} concurrent streams through the proxy (${SLOW_WORDS} chunks ${SLOW_CHUNK_MS} ms apart)…`,
	);
	const idleRssMb = rssMb(daemonPid);
	let peakRssMb = idleRssMb ?? 0;
	const sampler = setInterval(() => {
		peakRssMb = Math.max(peakRssMb, rssMb(daemonPid) ?? 0);
	}, RSS_SAMPLE_MS);
	const chat = JSON.stringify({
		model: 'gpt-4o-mini',
		messages: [{ role: 'user', content: 'Say hello.' }],
		stream: true,
		stream_options: { include_usage: true },
	});
	const concurrentStarted = performance.now();
	const outcomes = await Promise.allSettled(
		Array.from({ length: CONCURRENT_STREAMS }, async () => {
			proxied++;
			const result = await post(
				new Agent({ keepAlive: false }),
				port,
				'/openai/v1/chat/completions',
				{ authorization: `Bearer ${token}` },
				chat,
			);
			if (result.status !== 200)
				throw new Error(`status ${result.status}: ${result.body.slice(0, 300)}`);
			if (!result.body.includes('"usage":{') || !result.body.trimEnd().endsWith('data: [DONE]'))
				throw new Error(`stream cut short: …${result.body.slice(-300)}`);
			return result;
		}),
	);
	const concurrentMs = performance.now() - concurrentStarted;
	clearInterval(sampler);
	peakRssMb = Math.max(peakRssMb, rssMb(daemonPid) ?? 0);
	const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
	const firstFailure = failed[0]?.reason;

	cli(['daemon', 'stop', '--timeout', '5']);
	daemonPid = undefined;
	const audited = keyAccessedCount();
	if (failed.length > 0)
		throw new Error(
			`${failed.length} of ${CONCURRENT_STREAMS} concurrent streams failed; the first: ${firstFailure?.stack ?? firstFailure}`,
		);
	// The folded audit may write the last entries as the daemon stops; all must be there by now.
	if (audited !== proxied)
		throw new Error(
			`the proxy served ${proxied} requests but the audit log holds ${audited} key_accessed entries`,
		);

	report = {
		nonStreaming: compared(directLatency, proxyLatency),
		firstByte: compared(directFirst, proxyFirst),
		concurrent: {
			streams: CONCURRENT_STREAMS,
			failed: failed.length,
			wallMs: Math.round(concurrentMs),
			idealMs: SLOW_WORDS * SLOW_CHUNK_MS,
			idleRssMb: idleRssMb === undefined ? null : round(idleRssMb, 1),
			peakRssMb: round(peakRssMb, 1),
		},
		keyAccessedAudited: audited,
	};
} catch (error) {
	broken = error;
} finally {
	if (daemonPid !== undefined) {
		stopBenchDaemon({ bin, home, env, pid: daemonPid });
	}
	for (const standIn of standIns) await standIn.close().catch(() => {});
	rmSync(root, { recursive: true, force: true });
}

/** The key_accessed entries in the home's audit log (read after the daemon stopped). */
function keyAccessedCount() {
	return countRows(home, `SELECT count(*) AS n FROM audit_log WHERE event_type = 'key_accessed'`);
}

endBench({ name: 'LLM proxy', broken, report, json }, () => {
	const { nonStreaming, firstByte, concurrent } = report;
	const row = percentileRow(log, 36);
	log('');
	log("LLM endpoint (the daemon's proxy, a user token) against the stand-in provider directly");
	log(`non-streaming POST /v1/messages, ${nonStreaming.direct.n} each`);
	row('direct (client → stand-in)', nonStreaming.direct);
	row('proxy (client → daemon → stand-in)', nonStreaming.proxy);
	log(
		`  → added p50 ${nonStreaming.addedP50Ms} ms (×${nonStreaming.ratioP50}; target ≤ ${TARGET_P50_MS}): ${verdict(nonStreaming.addedP50Ms <= TARGET_P50_MS)}; added p99 ${nonStreaming.addedP99Ms} ms`,
	);
	log(`streaming, time to first byte, ${firstByte.direct.n} each`);
	row('direct', firstByte.direct);
	row('proxy', firstByte.proxy);
	log(
		`  → added p50 ${firstByte.addedP50Ms} ms (×${firstByte.ratioP50}; target ≤ ${TARGET_FIRST_BYTE_MS}): ${verdict(firstByte.addedP50Ms <= TARGET_FIRST_BYTE_MS)}; added p99 ${firstByte.addedP99Ms} ms`,
	);
	log(
		`${concurrent.streams} concurrent streams: ${concurrent.failed} failed, all done in ${concurrent.wallMs} ms (each ${concurrent.idealMs} ms at the stand-in)`,
	);
	log(
		`  → daemon RSS ${concurrent.idleRssMb} MB idle, peak ${concurrent.peakRssMb} MB (target < ${TARGET_RSS_MB}): ${verdict(concurrent.failed === 0 && concurrent.peakRssMb < TARGET_RSS_MB)}`,
	);
	log(`  ${report.keyAccessedAudited} requests audited key_accessed`);
});

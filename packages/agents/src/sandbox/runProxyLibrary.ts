// The parts of the sandbox library the supervisor's run proxies use, in one
// module so that runProxy.ts loads them (and the library) with one literal
// import, on the first network-approved run only — which a bundler follows.

export { matchesDomainPatternWithPort } from '@anthropic-ai/sandbox-runtime/dist/sandbox/domain-pattern.js';
export { createHttpProxyServer } from '@anthropic-ai/sandbox-runtime/dist/sandbox/http-proxy.js';
export {
	canonicalizeHost,
	isValidHost,
} from '@anthropic-ai/sandbox-runtime/dist/sandbox/parent-proxy.js';
export { createResolvedAddressGuard } from '@anthropic-ai/sandbox-runtime/dist/sandbox/resolved-address-guard.js';
export { createSocksProxyServer } from '@anthropic-ai/sandbox-runtime/dist/sandbox/socks-proxy.js';

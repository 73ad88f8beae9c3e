// @agentspace/events/testing: helpers for tests of code built on the event
// store. It lives in this package (not @agentspace/testing, which the events
// package itself uses in its tests) so the packages do not depend on each
// other in a circle.
export { dumpProjections } from './dumpProjections.js';
export type {
	ProjectionAssertion,
	ProjectionSpec,
	ProjectionSpecGiven,
	ProjectionSpecOptions,
	ProjectionSpecWhen,
	SpecEvent,
} from './projectionSpec.js';
export { event, expectRows, projectionSpec } from './projectionSpec.js';

#!/usr/bin/env node
// Committed shim so the `agentspace` bin link exists before the first build.
import '../dist/bin.js';

// Runs @cedar-policy/cedar-wasm on the inputs written by `Writ.Bench cedar gen`, one call at a time, and
// writes wasm-results.json (median and p99 µs per call, and every decision) beside each workload's inputs.
//
// usage: node bench.js DIR [--workloads a,b] [--json-calls N] [--large-json-calls N] [--calls N]
//                           [--large-preparsed-calls N] [--warmup SECONDS]
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const root = process.argv[2];
if (!root) {
  console.error('usage: node bench.js DIR [--workloads a,b] [--json-calls N] [--large-json-calls N] [--calls N] [--large-preparsed-calls N] [--warmup SECONDS]');
  process.exit(2);
}

const workloads = option('--workloads', 'gdrive,github,tinytodo,policies10k').split(',').filter(Boolean);
const jsonCalls = Number(option('--json-calls', '5000'));
const largeJsonCalls = Number(option('--large-json-calls', '300'));
const calls = Number(option('--calls', '20000'));
// Preparsed calls on the 10,000-policy set take tens of milliseconds each, so that run is shorter.
const largePreparsedCalls = Number(option('--large-preparsed-calls', '1000'));
const warmupSeconds = Number(option('--warmup', '3'));

// Same summary as the .NET side: nearest-rank percentiles over per-call timings.
function stats(ns) {
  const sorted = Float64Array.from(ns).sort();
  const rank = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] / 1000;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length / 1000;
  return { calls: sorted.length, medianUs: rank(0.5), p99Us: rank(0.99), meanUs: mean };
}

// Times each call alone; the first pass's answers are kept (outside the timed span) for the cross-check.
function measure(count, requestCount, call, answers) {
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(warmupSeconds * 1e9));
  let i = 0;
  do {
    call(i++ % requestCount);
  } while (process.hrtime.bigint() < warmEnd || i < Math.min(requestCount, 50));

  const ns = new Array(count);
  for (let k = 0; k < count; k++) {
    const t0 = process.hrtime.bigint();
    const answer = call(k % requestCount);
    ns[k] = Number(process.hrtime.bigint() - t0);
    if (answers && k < requestCount) {
      answers[k] = answer;
    }
  }
  return stats(ns);
}

function decisionOf(answer, what) {
  if (answer.type !== 'success') {
    throw new Error(`${what}: cedar-wasm failed: ${JSON.stringify(answer.errors)}`);
  }
  const d = answer.response.diagnostics;
  return {
    decision: answer.response.decision,
    reasons: [...d.reason].sort(),
    errors: d.errors.map((e) => e.policyId).sort(),
  };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

console.log(`cedar-wasm ${cedar.getCedarVersion()} on node ${process.version}`);
for (const name of workloads) {
  const dir = path.join(root, name);
  const policyText = fs.readFileSync(path.join(dir, 'policies.cedar'), 'utf8');
  const requests = JSON.parse(fs.readFileSync(path.join(dir, 'requests.json'), 'utf8'));
  const policies = { staticPolicies: policyText };

  // The call objects are built before timing: cedar-wasm takes JS objects, so JSON.parse is not charged to it.
  const fullCalls = requests.map((r) => ({ ...r, policies }));
  const setId = `bench-${name}`;
  const pre = cedar.preparsePolicySet(setId, policies);
  if (pre.type !== 'success') {
    throw new Error(`${name}: cedar-wasm could not parse the policies: ${JSON.stringify(pre.errors)}`);
  }
  const statefulCalls = requests.map((r) => ({ ...r, preparsedPolicySetId: setId }));

  const decisions = [];
  for (let i = 0; i < requests.length; i++) {
    const viaPreparsed = decisionOf(cedar.statefulIsAuthorized(statefulCalls[i]), `${name} request ${i}`);
    decisions.push(viaPreparsed);
  }
  const jsonCount = name === 'policies10k' ? largeJsonCalls : jsonCalls;
  const jsonAnswers = [];
  const fromJson = measure(jsonCount, requests.length, (i) => cedar.isAuthorized(fullCalls[i]), jsonAnswers);
  // The from-JSON answers of the timed pass must match the preparsed ones on every request it visited.
  jsonAnswers.forEach((answer, i) => {
    if (!same(decisionOf(answer, `${name} request ${i}`), decisions[i])) {
      throw new Error(`${name} request ${i}: cedar-wasm decides differently with preparsed policies`);
    }
  });
  const preparsedCount = name === 'policies10k' ? Math.min(calls, largePreparsedCalls) : calls;
  const preparsed = measure(preparsedCount, requests.length, (i) => cedar.statefulIsAuthorized(statefulCalls[i]));
  const result = { workload: name, fromJson, preparsed, decisions };
  fs.writeFileSync(path.join(dir, 'wasm-results.json'), JSON.stringify(result));
  const f = (x) => x.toFixed(1);
  console.log(`cedar-wasm ${name.padEnd(12)} fromJSON median=${f(fromJson.medianUs)}µs p99=${f(fromJson.p99Us)}µs  preparsed median=${f(preparsed.medianUs)}µs p99=${f(preparsed.p99Us)}µs`);
}

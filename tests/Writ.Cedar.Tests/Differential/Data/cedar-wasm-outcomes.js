// Computes the official verdicts for the differential parse and authorization cases.
// Setup: npm install @cedar-policy/cedar-wasm@4.13.0
// Input (stdin): JSON {"parse": ["<policy text>", ...], "authorize": ["<policy set text>", ...]}, as written by
// DifferentialTests when WRIT_CEDAR_DIFF_DUMP names a file.
// Output: cedar-wasm-4.13-parse.jsonl and cedar-wasm-4.13-authorize.jsonl in the current directory; each line holds
// a hash of the input (sha256, first 16 hex digits) and cedar's verdict.
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const crypto = require('crypto');
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const hash = t => crypto.createHash('sha256').update(t, 'utf8').digest('hex').slice(0, 16);
const setup = JSON.parse(fs.readFileSync(__dirname + '/authorize-setup.json', 'utf8'));
const parseLines = input.parse.map(t => {
  const ok = cedar.checkParsePolicySet({ staticPolicies: t }).type === 'success'
    || cedar.checkParsePolicySet({ templates: { t0: t } }).type === 'success';
  return JSON.stringify({ h: hash(t), ok });
});
fs.writeFileSync('cedar-wasm-4.13-parse.jsonl', parseLines.join('\n') + '\n');
const authLines = input.authorize.map(t => {
  const out = setup.requests.map(r => {
    const res = cedar.isAuthorized({ ...r, policies: { staticPolicies: t }, entities: setup.entities });
    if (res.type !== 'success') return 'failure';
    const d = res.response.diagnostics;
    return `${res.response.decision}|${d.reason.slice().sort().join(',')}|${d.errors.map(e => e.policyId).sort().join(',')}`;
  });
  return JSON.stringify({ h: hash(t), out });
});
fs.writeFileSync('cedar-wasm-4.13-authorize.jsonl', authLines.join('\n') + '\n');

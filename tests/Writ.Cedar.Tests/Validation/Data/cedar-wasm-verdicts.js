// Computes the official verdicts for differential validation cases.
// Setup: npm install @cedar-policy/cedar-wasm@4.13.0
// Input (stdin): JSON lines {"schema": "<.cedarschema text>", "policies": ["<policy or template text>", ...]}
// Output (stdout): JSON lines {"ok": true|false|null, "errors": [...], "warnings": [...]}; null when cedar could not parse.
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(l => l.length > 0);
for (const line of lines) {
  const c = JSON.parse(line);
  const isTemplate = p => p.includes('?principal') || p.includes('?resource');
  const templates = {};
  c.policies.forEach((p, i) => { if (isTemplate(p)) templates['t' + i] = p; });
  const r = cedar.validate({
    validationSettings: { mode: 'strict' },
    schema: c.schema,
    policies: { staticPolicies: c.policies.filter(p => !isTemplate(p)).join('\n'), templates },
  });
  console.log(JSON.stringify(r.type === 'failure'
    ? { ok: null, errors: r.errors.map(e => e.message) }
    : { ok: r.validationErrors.length === 0, errors: r.validationErrors.map(e => e.error.message), warnings: r.validationWarnings.map(w => w.error.message) }));
}

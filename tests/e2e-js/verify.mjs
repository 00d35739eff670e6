// Verifies a Writ identity token (JWT-SVID) with jose, an implementation independent of Writ's own.
//
// usage: node verify.mjs --jwks <url> | --bundle <url>  --issuer <iss> --audience <aud>  < token
//
// --jwks    the server's JWKS (/.well-known/jwks.json)
// --bundle  the SPIFFE trust bundle (/.well-known/spiffe-bundle); only keys with use "jwt-svid" count
//
// Prints {"header":{...},"payload":{...}} and exits 0 when the token verifies;
// prints {"error":"<jose code>","message":"..."} and exits 1 otherwise, 2 on bad usage.
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

function fail(code, message, exitCode = 1) {
  process.stdout.write(JSON.stringify({ error: code, message }) + '\n');
  process.exit(exitCode);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      jwks: { type: 'string' },
      bundle: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
    },
  }));
} catch (e) {
  fail('usage', e.message, 2);
}

if (!values.issuer || !values.audience || (!values.jwks === !values.bundle)) {
  fail('usage', 'give --issuer, --audience and exactly one of --jwks or --bundle', 2);
}

const token = readFileSync(0, 'utf8').trim();
if (token.length === 0) {
  fail('usage', 'no token on standard input', 2);
}

async function bundleKeySet(url) {
  const response = await fetch(url);
  if (!response.ok) {
    fail('ERR_BUNDLE_FETCH', `GET ${url} returned ${response.status}`);
  }
  const bundle = await response.json();
  if (!Array.isArray(bundle.keys)) {
    fail('ERR_BUNDLE_SHAPE', 'the trust bundle has no "keys" array');
  }
  if (typeof bundle.spiffe_sequence !== 'number') {
    fail('ERR_BUNDLE_SHAPE', 'the trust bundle has no numeric "spiffe_sequence"');
  }
  // SPIFFE marks JWT-SVID keys with use "jwt-svid"; jose only accepts "sig" or no use at all.
  const keys = bundle.keys
    .filter((key) => key.use === 'jwt-svid')
    .map(({ use, ...key }) => key);
  return createLocalJWKSet({ keys });
}

try {
  const keySet = values.jwks
    ? createRemoteJWKSet(new URL(values.jwks))
    : await bundleKeySet(values.bundle);

  const { payload, protectedHeader } = await jwtVerify(token, keySet, {
    issuer: values.issuer,
    audience: values.audience,
    algorithms: ['ES256'],
    typ: 'JWT',
    requiredClaims: ['sub', 'exp', 'iat', 'jti'],
  });

  if (typeof protectedHeader.kid !== 'string' || protectedHeader.kid.length === 0) {
    fail('ERR_NO_KID', 'the token header has no kid');
  }
  if (typeof payload.sub !== 'string' || !payload.sub.startsWith('spiffe://')) {
    fail('ERR_SUB_NOT_SPIFFE_ID', `sub is not a SPIFFE ID: ${payload.sub}`);
  }

  process.stdout.write(JSON.stringify({ header: protectedHeader, payload }) + '\n');
} catch (e) {
  fail(e.code ?? e.name ?? 'ERR_UNKNOWN', e.message);
}
